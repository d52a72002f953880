package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestStatusListsQuarantine: "mailflow status" shows the quarantined
// mail with its UID, sender, subject, error and time; a message still
// being retried is not listed, and hostile control characters in a
// subject do not reach the terminal.
func TestStatusListsQuarantine(t *testing.T) {
	cfgPath := sampleConfig(t)
	cfg, err := config.Load(cfgPath, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(filepath.Dir(cfgPath), cfg.DataDir, "mailflow.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 2, 5, 0, 0, time.UTC)
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.Quarantine(store.Failure{Mailbox: "INBOX", UIDValidity: 1, UID: 42, MessageID: "p@x", From: "evil@example.com",
			Subject: "SETUJU\x1b[2J", Error: "process: illegal base64 data at input byte 4", Attempts: 1, At: at}); err != nil {
			return err
		}
		_, err := tx.FailedAttempt(store.Failure{Mailbox: "INBOX", UIDValidity: 1, UID: 43, From: "retry@example.com", At: at})
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runStatus([]string{"-config", cfgPath}, &out, &errb, time.Now); code != 0 {
		t.Fatalf("status: exit %d %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"quarantined mail: 1", "42", "evil@example.com", "SETUJU", "illegal base64", "2026-03-02 09:05"} {
		if !strings.Contains(s, want) {
			t.Errorf("status lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\x1b") || strings.Contains(s, "retry@example.com") {
		t.Errorf("status output:\n%q", s)
	}
}
