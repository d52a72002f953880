package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestEmbeddedMailSurvivesRestart: mailflow restarted in embedded mode
// finds the officials' mail where it was, with the same UIDVALIDITY and
// UIDs, so mail clients and the watcher's cursor go on; mail kept only in
// memory by an older version (a cursor but no data/mail) makes the new
// mailbox start above the stored UIDVALIDITY, so the cursor is never
// applied to it; and the data directory is private.
func TestEmbeddedMailSurvivesRestart(t *testing.T) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mail.Mode != "embedded" {
		t.Skip("the sample config is not in embedded mode")
	}
	cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	dir := filepath.Join(t.TempDir(), "data")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	official := cfg.Office.People[1].Email
	// inbox returns the INBOX's UIDVALIDITY and "uid:subject" of each mail.
	inbox := func(a *App, user string) (uint32, []string) {
		t.Helper()
		c, err := imapclient.DialInsecure(a.Server.IMAPAddr(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(user, a.password(user)).Wait(); err != nil {
			t.Fatal(err)
		}
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if sel.NumMessages > 0 {
			msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Envelope: true}).Collect()
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				got = append(got, fmt.Sprintf("%d:%s", m.UID, m.Envelope.Subject))
			}
		}
		return sel.UIDValidity, got
	}
	var firstV uint32
	var want []string
	for run := 0; run < 3; run++ {
		a, err := Build(cfg, log, Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: run %d\r\n\r\nisi\r\n", cfg.Office.Mailbox, official, run)
		if err := a.Server.Deliver(cfg.Office.Mailbox, []string{official}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("%d:run %d", run+1, run))
		v, got := inbox(a, official)
		if run == 0 {
			firstV = v
		}
		if v != firstV || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("start %d: UIDVALIDITY %d (first %d), mail %v, want %v", run, v, firstV, got, want)
		}
		a.Close()
	}
	// An older version kept mail in memory: its cursor is in the store,
	// there is no data/mail.
	if err := os.RemoveAll(filepath.Join(dir, "mail")); err != nil {
		t.Fatal(err)
	}
	a, err := Build(cfg, log, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a.Store.Update(context.Background(), func(tx *store.Tx) error { return tx.SetCursor("INBOX", 40, 27) })
	a.Close()
	os.RemoveAll(filepath.Join(dir, "mail"))
	a, err = Build(cfg, log, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := inbox(a, cfg.Office.Mailbox); v <= 40 {
		t.Errorf("a new mailbox after an in-memory version has UIDVALIDITY %d, not above the stored 40", v)
	}
	a.Close()
	for _, d := range []string{dir, filepath.Join(dir, "mail")} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v", d, fi.Mode().Perm(), err)
		}
	}
	for _, f := range []string{"mailflow.db", "embedded-accounts.txt"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi.Mode().Perm(), err)
		}
	}
}
