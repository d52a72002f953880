package mailout_test

import (
	"bytes"
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestRunningInstanceTakesOverADeadInstancesSend: on a shared store
// (PostgreSQL) a worker that is already running takes over, within a
// recovery period and without a restart, the mail another instance was
// sending when it died (same Message-ID), and never the mail a live
// instance is sending. On SQLite one process owns the outbox: a row in
// flight while the worker runs is its own send, and is never made due
// again after the start.
func TestRunningInstanceTakesOverADeadInstancesSend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t)
		ctx := context.Background()
		dead, live := sample(t, flow.TplNotice), sample(t, flow.TplNotice)
		dead.MessageID = strings.Replace(dead.MessageID, "@", "dead@", 1)
		live.MessageID = strings.Replace(live.MessageID, "@", "live@", 1)

		opt := e.options()
		opt.SMTP.MaxPerHour = 0
		opt.RecoverEvery = 50 * time.Millisecond
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
		died := time.Now()
		if b.Name == "Postgres" {
			defer liveSt.Close()
			deadSt.Close() // it dies with the mail in flight
		}

		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- w.Run(runCtx) }()
		var got []string
		if b.Name == "Postgres" {
			// Bounded, so that a worker that never takes over fails the test
			// rather than hanging it (PostgreSQL frees a closed session's
			// lock shortly after the connection closes).
			select {
			case r := <-e.smtp.ch:
				msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, msg.Header.Get("Message-Id"))
				t.Logf("the dead instance's mail was sent %v after it died (recovery every %v)", time.Since(died).Round(time.Millisecond), opt.RecoverEvery)
			case <-time.After(15 * time.Second):
				t.Fatal("the dead instance's mail was not sent by the running worker")
			}
		}
		// Several recovery periods more: nothing else may go.
		time.Sleep(20 * opt.RecoverEvery)
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		for _, r := range e.smtp.messages()[len(got):] {
			msg, _ := mail.ReadMessage(bytes.NewReader(r.Data))
			got = append(got, msg.Header.Get("Message-Id"))
		}
		want := []string{}
		if b.Name == "Postgres" {
			want = []string{"<" + dead.MessageID + ">"}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("sent %v, want %v (a live send is never taken over)", got, want)
		}
		for _, r := range e.outbox() {
			if r.MessageID == live.MessageID && (r.Status != store.OutPending || !r.InFlight || r.Attempts != 1) {
				t.Errorf("the live send's row was touched: %+v", r)
			}
		}
	})
}
