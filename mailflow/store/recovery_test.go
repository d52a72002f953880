package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestOutboxRecoveryStates walks rows through the states delivery
// recovery reads: an attempt leaves a row in flight until its outcome is
// recorded; RecoverInFlight makes only in-flight rows due (never later
// than they were); a held row is released by ReleaseHeld, a row that
// failed for its own reason is not; a sent or failed row is neither.
func TestOutboxRecoveryStates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		st, err := Open(storetest.For(t), Options{Synchronous: "NORMAL"})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ctx := context.Background()
		t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		later := t0.Add(time.Hour)
		names := []string{"inflight", "held", "transient", "sent", "failed", "fresh", "deferred"}
		rows := map[string]OutboxRow{}
		load := func() {
			t.Helper()
			st.View(ctx, func(tx *Tx) error {
				all, err := tx.Outbox("")
				for _, r := range all {
					rows[r.Mail.Template] = r
				}
				return err
			})
		}
		err = st.Update(ctx, func(tx *Tx) error {
			for i, n := range names {
				m := &flow.Mail{Template: n, MessageID: fmt.Sprintf("%s@x", n), To: []flow.Recipient{{Email: "a@x"}}}
				if err := tx.Enqueue("", 0, m, t0, t0); err != nil {
					return err
				}
				id := int64(i + 1)
				switch n {
				case "inflight":
					err = tx.MailAttempt(id, 1, later)
				case "held":
					if err = tx.MailAttempt(id, 1, later); err == nil {
						err = tx.MailHeld(id, 1, later, "connect: refused")
					}
				case "transient":
					if err = tx.MailAttempt(id, 1, later); err == nil {
						err = tx.MailError(id, "451 try later")
					}
				case "sent":
					if err = tx.MailAttempt(id, 1, later); err == nil {
						err = tx.MailSent(id, t0)
					}
				case "failed":
					if err = tx.MailAttempt(id, 1, later); err == nil {
						err = tx.MailFailed(id, "550 no such user")
					}
				case "deferred":
					err = tx.MailDefer(id, later)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		load()
		for n, want := range map[string][2]bool{ // in flight, held
			"inflight": {true, false}, "held": {false, true}, "transient": {false, false}, "sent": {false, false},
			"failed": {false, false}, "fresh": {false, false}, "deferred": {false, false},
		} {
			if r := rows[n]; r.InFlight != want[0] || r.Held != want[1] {
				t.Errorf("%s: in_flight=%v held=%v, want %v", n, r.InFlight, r.Held, want)
			}
		}
		now := t0.Add(time.Minute)
		var recovered, released int
		st.Update(ctx, func(tx *Tx) error {
			if recovered, err = tx.RecoverInFlight(now); err != nil {
				return err
			}
			released, err = tx.ReleaseHeld(now)
			return err
		})
		if recovered != 1 || released != 1 {
			t.Fatalf("recovered %d, released %d; want 1 and 1", recovered, released)
		}
		load()
		for n, due := range map[string]time.Time{"inflight": now, "held": now, "transient": later, "fresh": t0, "deferred": later} {
			if r := rows[n]; !r.NextAttempt.Equal(due) || r.InFlight || r.Held {
				t.Errorf("%s: next %v in_flight=%v held=%v, want next %v", n, r.NextAttempt, r.InFlight, r.Held, due)
			}
		}
		if rows["sent"].Status != OutSent || rows["failed"].Status != OutFailed {
			t.Errorf("sent/failed rows changed: %s %s", rows["sent"].Status, rows["failed"].Status)
		}
		// Nothing left to recover or release.
		st.Update(ctx, func(tx *Tx) error {
			recovered, _ = tx.RecoverInFlight(now)
			released, _ = tx.ReleaseHeld(now)
			return nil
		})
		if recovered != 0 || released != 0 {
			t.Errorf("second pass: recovered %d, released %d", recovered, released)
		}
	})
}
