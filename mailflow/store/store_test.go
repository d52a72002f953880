package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func TestMigrationsRunOnceAndRefuseTheFuture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Update(ctx, func(tx *Tx) error { return tx.SetCursor("INBOX", 7, 42) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Reopening runs no migration again and keeps the data.
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *Tx) error {
		if v, u, _ := tx.Cursor("INBOX"); v != 7 || u != 42 {
			t.Errorf("cursor after reopen = %d %d", v, u)
		}
		return nil
	})
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer mailflow") {
		t.Fatalf("a store from a newer schema: err = %v", err)
	}
}

func TestCursorInboundAndRate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		s, err := Open(b.Fresh(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		now := time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC)
		err = s.Update(ctx, func(tx *Tx) error {
			if v, u, err := tx.Cursor("INBOX"); err != nil || v != 0 || u != 0 {
				t.Errorf("empty cursor: %d %d %v", v, u, err)
			}
			if err := tx.SetCursor("INBOX", 7, 42); err != nil {
				return err
			}
			in := Inbound{Mailbox: "INBOX", UIDValidity: 7, UID: 42, MessageID: "a@x", Result: "applied", At: now}
			if err := tx.MarkInbound(in); err != nil {
				return err
			}
			for _, probe := range []Inbound{
				{Mailbox: "INBOX", UIDValidity: 7, UID: 42},                  // same place
				{Mailbox: "INBOX", UIDValidity: 8, UID: 1, MessageID: "a@x"}, // same Message-ID after a UIDVALIDITY change
			} {
				if seen, err := tx.SeenInbound(probe); err != nil || !seen {
					t.Errorf("SeenInbound(%+v) = %v, %v", probe, seen, err)
				}
			}
			if seen, _ := tx.SeenInbound(Inbound{Mailbox: "INBOX", UIDValidity: 7, UID: 43}); seen {
				t.Error("an unseen UID with no Message-ID counts as seen")
			}
			for i := 1; i <= 3; i++ {
				n, err := tx.RateHit("Rina@X", now.Add(time.Duration(i)*time.Minute), now)
				if err != nil || n != i {
					t.Errorf("RateHit #%d = %d, %v", i, n, err)
				}
			}
			// An hour later the old hits no longer count.
			if n, _ := tx.RateHit("rina@x", now.Add(2*time.Hour), now.Add(time.Hour)); n != 1 {
				t.Errorf("RateHit after the window = %d, want 1", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx *Tx) error {
			if v, u, _ := tx.Cursor("INBOX"); v != 7 || u != 42 {
				t.Errorf("cursor = %d %d", v, u)
			}
			return nil
		})
	})
}

// TestFilesArePrivate: the database, its -wal and -shm and the directory
// are readable by mailflow's user only, even under a lax umask and for a
// store an older mailflow created world-readable.
func TestFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "mailflow.db")
	check := func(when string) {
		t.Helper()
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: data dir mode %v (%v), want 0700", when, fi.Mode().Perm(), err)
		}
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(f)
			if err != nil {
				t.Errorf("%s: %v", when, err)
				continue
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s mode %v, want 0600", when, filepath.Base(f), fi.Mode().Perm())
			}
		}
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.SetCursor("INBOX", 1, 1) }); err != nil {
		t.Fatal(err)
	}
	check("new store")
	// An older mailflow's files: open while the store is open, as a
	// second process (mailflow status) would find them.
	for _, f := range []string{dir, path, path + "-wal", path + "-shm"} {
		os.Chmod(f, 0o755)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check("reopened")
	s2.Close()
	s.Close()
}
