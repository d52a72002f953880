package mailout_test

import (
	"bytes"
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestRunningInstanceTakesOverADeadInstancesSend: on a shared store
// (PostgreSQL) a worker that is already running takes over, at a later
// recovery pass and without a restart, the mail another instance was
// sending when it died (same Message-ID), and never the mail a live
// instance is sending. On SQLite one process owns the outbox: a row in
// flight while the worker runs is its own send, and is never made due
// again after the start. The recovery period is read on the worker's
// clock, which the test moves.
func TestRunningInstanceTakesOverADeadInstancesSend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t)
		ctx := context.Background()
		dead, live := sample(t, flow.TplNotice), sample(t, flow.TplNotice)
		dead.MessageID = strings.Replace(dead.MessageID, "@", "dead@", 1)
		live.MessageID = strings.Replace(live.MessageID, "@", "live@", 1)

		opt := e.options()
		opt.SMTP.MaxPerHour = 0
		opt.RecoverEvery = time.Minute
		w := e.worker(opt)
		if _, err := w.Drain(ctx); err != nil { // started: its own recovery is done
			t.Fatal(err)
		}
		e.enqueue(dead, live)
		rows := e.outbox()
		// Two other instances each claim one mail and start sending it. On
		// SQLite there are no others: the claims stand for this process's
		// own sends in progress.
		claimer := func(r store.OutboxRow) *store.Store {
			s := e.st
			if b.Name == "Postgres" {
				var err error
				if s, err = store.Open(e.loc, store.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			now := e.clk.Now()
			err := s.Update(ctx, func(tx *store.Tx) error {
				ok, err := tx.ClaimMail(r.ID, 0, 1, now.Add(time.Hour), now)
				if err == nil && !ok {
					t.Errorf("claim %s refused", r.MessageID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		deadSt, liveSt := claimer(rows[0]), claimer(rows[1])
		if b.Name == "Postgres" {
			defer liveSt.Close()
			deadSt.Close() // it dies with the mail in flight
		}
		sent := func() (ids []string) {
			for _, r := range e.smtp.messages() {
				msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, msg.Header.Get("Message-Id"))
			}
			return ids
		}
		pass := func() {
			t.Helper()
			e.clk.Add(opt.RecoverEvery) // a recovery pass is due
			if _, err := w.Drain(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if b.Name == "Postgres" {
			// PostgreSQL frees a closed session's lock shortly after its
			// connection closes: passes until it has, bounded so that a
			// worker that never takes over fails rather than hangs.
			for end := time.Now().Add(15 * time.Second); len(sent()) == 0; time.Sleep(20 * time.Millisecond) {
				if time.Now().After(end) {
					t.Fatal("the dead instance's mail was not sent by the running worker")
				}
				pass()
			}
		}
		for range 5 { // more passes: nothing else may go
			pass()
		}
		want := []string{}
		if b.Name == "Postgres" {
			want = []string{"<" + dead.MessageID + ">"}
		}
		if got := sent(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("sent %v, want %v (a live send is never taken over)", got, want)
		}
		for _, r := range e.outbox() {
			if r.MessageID == live.MessageID && (r.Status != store.OutPending || !r.InFlight || r.Attempts != 1) {
				t.Errorf("the live send's row was touched: %+v", r)
			}
		}
	})
}

// TestRunWaitsForTheNextRecoveryPass: on a shared store Run wakes up for
// the recovery pass when nothing else is due; on SQLite it does not.
func TestRunWaitsForTheNextRecoveryPass(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t)
		opt := e.options()
		opt.RecoverEvery = 7 * time.Second
		w := e.worker(opt)
		if _, err := w.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		d, ok := mailout.MailoutRecoverIn(w)
		if b.Name == "Postgres" && (!ok || d != opt.RecoverEvery) || b.Name == "SQLite" && ok {
			t.Fatalf("next recovery pass in %v (%v) on %s", d, ok, b.Name)
		}
		e.clk.Add(5 * time.Second)
		if d, ok := mailout.MailoutRecoverIn(w); b.Name == "Postgres" && (!ok || d != 2*time.Second) {
			t.Fatalf("after 5 s: next pass in %v (%v)", d, ok)
		}
	})
}
