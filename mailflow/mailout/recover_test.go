package mailout_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// mails returns n copies of a non-automatic sample, each with its own
// Message-ID and, when spread, its own recipient.
func mails(t *testing.T, n int, spread bool) []*flow.Mail {
	base := sample(t, flow.TplStatus)
	var out []*flow.Mail
	for i := range n {
		m := *base
		m.MessageID = strings.Replace(base.MessageID, "@", "h"+string(rune('a'+i))+"@", 1)
		if spread {
			to := m.To[0]
			to.Email = strings.Replace(to.Email, "@", string(rune('a'+i))+"@", 1)
			m.To = []flow.Recipient{to}
		}
		out = append(out, &m)
	}
	return out
}

// brief prints rows without their mail.
func brief(rows []store.OutboxRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "[%d %s attempts=%d next=%s held=%v in_flight=%v err=%q] ", r.ID, r.Status, r.Attempts,
			r.NextAttempt.Format(time.TimeOnly), r.Held, r.InFlight, r.LastError)
	}
	return b.String()
}

// countingDial counts the connections the worker opens.
func countingDial(n *atomic.Int32) mailout.DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		n.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

// runWorker runs w.Run until the test ends.
func runWorker(t *testing.T, w *mailout.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// TestRefusedHoldsThePassAndProbeReleases: with the server down, the
// first failed connections hold all eight due mails (not eight timeouts
// in a row: at most one per connection of the pool); when
// the server is back, a probe finds it and every held mail goes at once,
// long before its own one-minute backoff (the injected clock never moves).
func TestRefusedHoldsThePassAndProbeReleases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.smtp.down()
		e.enqueue(mails(t, 8, true)...)
		var dials atomic.Int32
		opt := e.options()
		opt.Dial = countingDial(&dials)
		opt.Conns = 3
		opt.ProbeSchedule = []time.Duration{20 * time.Millisecond}
		w := e.worker(opt)
		e.drain(w)
		if n := dials.Load(); n > 3 {
			t.Errorf("%d connection attempts in one pass, want at most 3", n)
		}
		for _, r := range e.outbox() {
			wait, _ := mailout.Backoff(1, 0.5)
			if r.Status != store.OutPending || !r.Held || r.InFlight || r.Attempts != 1 || !r.NextAttempt.Equal(e.clk.Now().Add(wait)) || r.LastError == "" {
				t.Fatalf("row after the refused pass: %s", brief([]store.OutboxRow{r}))
			}
		}
		if err := e.smtp.up(); err != nil {
			t.Fatal(err)
		}
		got := make(chan struct{}, 8)
		w.Observe(func(o mailout.Outcome) {
			if o.Status == store.OutSent {
				got <- struct{}{}
			}
		})
		runWorker(t, w)
		for range 8 {
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				t.Fatal("held mail not sent after the server came back")
			}
		}
		for _, r := range e.outbox() {
			if r.Status != store.OutSent || r.Held || r.Attempts != 2 {
				t.Errorf("row %d: %s held=%v attempts=%d", r.ID, r.Status, r.Held, r.Attempts)
			}
		}
	})
}

// TestSuccessReleasesHeld: a 421 in the middle of a transaction (the
// server closing the channel) holds that mail; the next mail that goes
// through makes it due at once, in the same drain, with the clock frozen.
func TestSuccessReleasesHeld(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		for _, c := range []struct {
			stage string
			code  int
		}{{"MAIL", 421}, {"RCPT", 454}} {
			t.Run(c.stage, func(t *testing.T) {
				e := newEnv(t)
				e.enqueue(mails(t, 2, true)...)
				e.smtp.fail(c.stage, c.code, 1)
				opt := e.options()
				opt.Conns = 1 // the fault strikes the first row
				w := e.worker(opt)
				e.drain(w)
				rows := e.outbox()
				if rows[0].Status != store.OutSent || rows[0].Attempts != 2 || rows[1].Status != store.OutSent || rows[1].Attempts != 1 {
					t.Fatalf("rows: %s", brief(rows))
				}
				if n := len(e.smtp.messages()); n != 2 {
					t.Fatalf("%d delivered", n)
				}
			})
		}
	})
}

// TestOtherTransientNotReleased: a 451 (a problem with this mail, not the
// server) keeps its own backoff when another mail goes through.
func TestOtherTransientNotReleased(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.enqueue(mails(t, 2, true)...)
		e.smtp.fail("DATA", 451, 1)
		opt := e.options()
		opt.Conns = 1
		w := e.worker(opt)
		e.drain(w)
		rows := e.outbox()
		if rows[0].Status != store.OutPending || rows[0].Held || rows[1].Status != store.OutSent {
			t.Fatalf("rows: %s", brief(rows))
		}
	})
}

// TestAuth454RetriesInSeconds: "454 4.7.0 Temporary authentication
// failure" twice (an authentication service restarting) delays the mail
// by two short probes, not by its one-minute backoff; the mail's own
// schedule is the usual one (attempt 1 failed, attempt 2 sent).
func TestAuth454RetriesInSeconds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.smtp.failAuth(2)
		opt := e.options()
		opt.SMTP.Username, opt.SMTP.Password = "sekretariat@dinsospmd.bangkatengahkab.go.id", config.Secret("pw")
		opt.ProbeSchedule = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}
		w := e.worker(opt)
		var mu sync.Mutex
		var outcomes []mailout.Outcome
		sent := make(chan struct{}, 1)
		w.Observe(func(o mailout.Outcome) {
			mu.Lock()
			outcomes = append(outcomes, o)
			mu.Unlock()
			if o.Status == store.OutSent {
				sent <- struct{}{}
			}
		})
		e.enqueue(mails(t, 1, false)...)
		runWorker(t, w)
		select {
		case <-sent:
		case <-time.After(10 * time.Second):
			t.Fatal("not sent after the authentication service came back")
		}
		mu.Lock()
		defer mu.Unlock()
		if len(outcomes) != 2 || outcomes[0].Status != store.OutPending || !strings.Contains(outcomes[0].Err.Error(), "454") {
			t.Fatalf("outcomes: %d %v", len(outcomes), outcomes[0].Err)
		}
		if !mailout.ServerDown(outcomes[0].Err) {
			t.Errorf("454 at AUTH not seen as the server being down: %v", outcomes[0].Err)
		}
		if r := e.outbox(); r[0].Status != store.OutSent || r[0].Attempts != 2 {
			t.Errorf("row: %s", brief(r))
		}
	})
}

// TestFanOutKeepsPerRecipientOrder: with three connections, mail to
// different officials goes side by side, and each official's mail
// arrives in the order it was queued.
func TestFanOutKeepsPerRecipientOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.smtp.delay = 20 * time.Millisecond
		spread := mails(t, 4, true)
		same := mails(t, 3, false)
		for i, m := range same {
			m.MessageID = strings.Replace(m.MessageID, "@", "same"+string(rune('a'+i))+"@", 1)
		}
		// Queue: same1 a same2 b c same3 d
		e.enqueue(same[0], spread[0], same[1], spread[1], spread[2], same[2], spread[3])
		opt := e.options()
		opt.Conns = 3
		w := e.worker(opt)
		e.drain(w)
		var order []string
		for _, m := range e.smtp.messages() {
			if id := msgID(t, m.Data); strings.Contains(id, "same") {
				order = append(order, id)
			}
		}
		if len(order) != 3 || order[0] != same[0].MessageID || order[1] != same[1].MessageID || order[2] != same[2].MessageID {
			t.Errorf("one official's mail out of order: %v", order)
		}
		if e.smtp.peak < 2 {
			t.Errorf("at most %d transaction at once with 3 connections", e.smtp.peak)
		}
		if n := len(e.smtp.messages()); n != 7 {
			t.Errorf("%d delivered, want 7", n)
		}
	})
}

// TestUnreachableClassification is the table of what holds the queue.
func TestUnreachableClassification(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, c := range []struct {
		name       string
		err        error
		unreach    bool
		serverDown bool
	}{
		{"refused", &mailout.Error{Stage: "connect", Err: refused}, true, true},
		{"EOF at greeting", &mailout.Error{Stage: "connect", Err: fmt.Errorf("dial: %w", io.EOF)}, true, true},
		{"DNS", &mailout.Error{Stage: "connect", Err: &net.DNSError{Err: "no such host", Name: "mail.x", IsNotFound: true}}, true, true},
		{"OAuth2 revoked", &mailout.Error{Stage: "connect", Err: fmt.Errorf("SMTP AUTH failed: %w", oauth.ErrRevoked)}, false, false},
		{"no AUTH mechanism", &mailout.Error{Stage: "connect", Err: errors.New("smtp server offers no OAuth2 mechanism")}, false, false},
		{"421 greeting", &mailout.Error{Stage: "connect", Code: 421}, true, true},
		{"454 AUTH", &mailout.Error{Stage: "connect", Code: 454, Enhanced: "4.7.0"}, true, true},
		{"535 AUTH", &mailout.Error{Stage: "connect", Code: 535}, false, false},
		{"bad certificate", &mailout.Error{Stage: "connect", Err: x509.UnknownAuthorityError{}}, false, false},
		{"421 at DATA", &mailout.Error{Stage: "DATA", Code: 421}, true, false},
		{"454 at RCPT", &mailout.Error{Stage: "RCPT", Code: 454}, true, false},
		{"451 at DATA", &mailout.Error{Stage: "DATA", Code: 451}, false, false},
		{"timeout mid-DATA", &mailout.Error{Stage: "DATA", Err: os.ErrDeadlineExceeded}, false, false},
		{"550", &mailout.Error{Stage: "RCPT", Code: 550, Permanent: true}, false, false},
		{"not ours", errors.New("boom"), false, false},
	} {
		if got := mailout.Unreachable(c.err); got != c.unreach {
			t.Errorf("%s: Unreachable = %v", c.name, got)
		}
		if got := mailout.ServerDown(c.err); got != c.serverDown {
			t.Errorf("%s: ServerDown = %v", c.name, got)
		}
	}
}
