package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestEmbeddedRestartNewUIDValidity: mailflow restarted in embedded mode
// starts its mail server above the UIDVALIDITY the watcher stored, so the
// stored cursor (UIDs of the previous process's mailbox) is never applied
// to the fresh mailbox; and the data directory is private.
func TestEmbeddedRestartNewUIDValidity(t *testing.T) {
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
	inboxValidity := func(a *App) uint32 {
		t.Helper()
		c, err := imapclient.DialInsecure(a.Server.IMAPAddr(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(cfg.Office.Mailbox, a.password(cfg.Office.Mailbox)).Wait(); err != nil {
			t.Fatal(err)
		}
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		return sel.UIDValidity
	}
	var prev uint32
	for run := 0; run < 3; run++ {
		a, err := Build(cfg, log, Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		v := inboxValidity(a)
		if v <= prev {
			t.Errorf("run %d: UIDVALIDITY %d, the previous run's was %d", run, v, prev)
		}
		// What the watcher would have stored: a cursor deep into the mailbox.
		a.Store.Update(context.Background(), func(tx *store.Tx) error { return tx.SetCursor("INBOX", v, 27) })
		a.Close()
		prev = v
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir: %v %v", fi.Mode().Perm(), err)
	}
	for _, f := range []string{"mailflow.db", "embedded-accounts.txt"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi.Mode().Perm(), err)
		}
	}
}
