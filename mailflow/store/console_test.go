package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestOutboxConsoleActions: "kirim ulang sekarang" makes a failed mail
// due with a fresh series of attempts; "batalkan" takes a mail out of the
// queue for good; neither touches mail already sent.
func TestOutboxConsoleActions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		s, err := Open(storetest.For(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		t0 := time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Update(ctx, func(tx *Tx) error {
			for _, id := range []string{"a", "b", "c"} {
				if err := tx.Enqueue("", 0, &flow.Mail{MessageID: id, Template: "x", To: []flow.Recipient{{Email: "x@y"}}}, t0, t0.Add(time.Hour)); err != nil {
					return err
				}
			}
			if err := tx.MailAttempt(1, 3, t0.Add(time.Hour)); err != nil {
				return err
			}
			if err := tx.MailFailed(1, "550"); err != nil {
				return err
			}
			return tx.MailSent(3, t0)
		}))
		must(s.Update(ctx, func(tx *Tx) error {
			if _, err := tx.RetryMailNow(1, t0.Add(time.Minute)); err != nil {
				return err
			}
			if _, err := tx.CancelMail(2, "dibatalkan"); err != nil {
				return err
			}
			if _, err := tx.RetryMailNow(3, t0); !errors.Is(err, ErrNotActionable) {
				t.Errorf("retry of a sent mail: %v", err)
			}
			if _, err := tx.CancelMail(3, "x"); !errors.Is(err, ErrNotActionable) {
				t.Errorf("cancel of a sent mail: %v", err)
			}
			if _, err := tx.RetryMailNow(2, t0); !errors.Is(err, ErrNotActionable) {
				t.Errorf("retry of a cancelled mail: %v", err)
			}
			return nil
		}))
		must(s.View(ctx, func(tx *Tx) error {
			due, err := tx.DueMail(t0.Add(2*time.Hour), 10)
			if err != nil {
				return err
			}
			if len(due) != 1 || due[0].ID != 1 || due[0].Attempts != 0 || due[0].Status != OutPending || !due[0].NextAttempt.Equal(t0.Add(time.Minute)) {
				t.Errorf("due after the actions: %+v", due)
			}
			open, err := tx.OutboxOpen(10)
			if err != nil {
				return err
			}
			if len(open) != 1 {
				t.Errorf("open mail: %d, want only the retried one", len(open))
			}
			if last, err := tx.LastSent(); err != nil || !last.Equal(t0) {
				t.Errorf("last sent %v %v", last, err)
			}
			return nil
		}))
	})
}
