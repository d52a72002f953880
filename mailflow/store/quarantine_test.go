package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestQuarantineRows: attempts count up across transactions (and so across
// restarts), a quarantined message is known by its place and by its
// Message-ID under a new UIDVALIDITY, and a success clears only retries.
func TestQuarantineRows(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		s, err := Open(b.Fresh(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		f := Failure{Mailbox: "INBOX", UIDValidity: 7, UID: 3, MessageID: "poison@x", From: "a@x", Subject: "s", Error: strings.Repeat("e", 5000), At: at}
		for want := 1; want <= 3; want++ {
			var n int
			if err := s.Update(ctx, func(tx *Tx) (err error) { n, err = tx.FailedAttempt(f); return }); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Fatalf("attempt %d counted as %d", want, n)
			}
		}
		other := f
		other.UID, other.MessageID = 4, "other@x"
		view := func(in Inbound) (q bool, n int) {
			t.Helper()
			if err := s.View(ctx, func(tx *Tx) (err error) { q, n, err = tx.FailureOf(in); return }); err != nil {
				t.Fatal(err)
			}
			return
		}
		if q, n := view(Inbound{Mailbox: "INBOX", UIDValidity: 7, UID: 3, MessageID: "poison@x"}); q || n != 3 {
			t.Fatalf("before quarantine: %v %d", q, n)
		}
		err = s.Update(ctx, func(tx *Tx) error {
			if _, err := tx.FailedAttempt(other); err != nil {
				return err
			}
			f.Attempts = 3
			return tx.Quarantine(f)
		})
		if err != nil {
			t.Fatal(err)
		}
		if q, n := view(Inbound{Mailbox: "INBOX", UIDValidity: 7, UID: 3}); !q || n != 3 {
			t.Errorf("by place: %v %d", q, n)
		}
		if q, n := view(Inbound{Mailbox: "INBOX", UIDValidity: 8, UID: 1, MessageID: "poison@x"}); !q || n != 0 {
			t.Errorf("by Message-ID under a new uidvalidity: %v %d", q, n)
		}
		if q, _ := view(Inbound{Mailbox: "INBOX", UIDValidity: 8, UID: 1}); q {
			t.Error("an unrelated message is quarantined")
		}
		err = s.Update(ctx, func(tx *Tx) error {
			if err := tx.ClearFailure("INBOX", 7, 3); err != nil {
				return err
			}
			return tx.ClearFailure("INBOX", 7, 4)
		})
		if err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx *Tx) error {
			all, err := tx.Failures(true, 10)
			if err != nil || len(all) != 1 || !all[0].Quarantined || all[0].UID != 3 || len(all[0].Error) > maxErrLen+4 || all[0].At != at {
				t.Errorf("rows after clearing: %+v %v", all, err)
			}
			if n, err := tx.QuarantinedCount(); n != 1 || err != nil {
				t.Errorf("count %d %v", n, err)
			}
			return nil
		})
	})
}

func TestAnyFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		s, err := Open(b.Fresh(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		has := func() (b bool) {
			s.View(ctx, func(tx *Tx) (err error) { b, err = tx.AnyFailures(); return })
			return
		}
		if has() {
			t.Fatal("a new store has failures")
		}
		s.Update(ctx, func(tx *Tx) error { _, err := tx.FailedAttempt(Failure{Mailbox: "INBOX", UID: 1}); return err })
		if !has() {
			t.Fatal("a failure is not seen")
		}
	})
}
