package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	s, err := Open(filepath.Join(t.TempDir(), "c.db"), Options{})
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
}
