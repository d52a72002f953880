package mailout_test

import (
	"context"
	"io"
	"mime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// sample returns the first sample mail of a template.
func sample(t testing.TB, tpl string) *flow.Mail {
	t.Helper()
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mails {
		if s.Mail.Template == tpl {
			return s.Mail
		}
	}
	t.Fatalf("no sample %s", tpl)
	return nil
}

func TestTransientThenSuccess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		for _, c := range []struct {
			name  string
			stage string
			code  int
			n     int
		}{
			{"421 at DATA x2", "DATA", 421, 2},
			{"451 at DATA x3", "DATA", 451, 3},
			{"451 at RCPT x1", "RCPT", 451, 1},
			{"421 at MAIL x1", "MAIL", 421, 1},
			{"dropped mid-DATA x2", "DATA", 0, 2},
		} {
			t.Run(c.name, func(t *testing.T) {
				e := newEnv(t)
				m := sample(t, flow.TplStatus) // no attachments, not automatic
				e.enqueue(m)
				e.smtp.fail(c.stage, c.code, c.n)
				w := e.worker(e.options())
				for i := 1; i <= c.n; i++ {
					e.drain(w)
					row := e.outbox()[0]
					wait, _ := mailout.Backoff(i, 0.5)
					if row.Status != store.OutPending || row.Attempts != i || !row.NextAttempt.Equal(e.clk.Now().Add(wait)) || row.LastError == "" {
						t.Fatalf("after failure %d: %+v", i, row)
					}
					e.drain(w) // not due yet: nothing happens
					if n := len(e.smtp.messages()); n != 0 || e.outbox()[0].Attempts != i {
						t.Fatalf("retried before the backoff elapsed")
					}
					e.clk.Add(wait)
				}
				e.drain(w)
				got := e.smtp.messages()
				row := e.outbox()[0]
				if len(got) != 1 || row.Status != store.OutSent || row.Attempts != c.n+1 {
					t.Fatalf("got %d messages, row %+v", len(got), row)
				}
				if msgID(t, got[0].Data) != m.MessageID {
					t.Error("Message-ID changed on retry")
				}
			})
		}
	})
}

// TestPermanentFailureAlerts: a 550 fails the mail, the flow records it
// and queues alerts to the admin and the Kasubag Perencanaan, which go out.
func TestPermanentFailureAlerts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.start() // queues the step-2 assignment to the Sekretaris
		e.smtp.failRcpt("sekretaris@dinsospmd.bangkatengahkab.go.id", 550, 1)
		w := e.worker(e.options())
		e.drain(w)
		rows := e.outbox()
		if len(rows) != 3 || rows[0].Status != store.OutFailed || !strings.Contains(rows[0].LastError, "550") {
			t.Fatalf("outbox: %+v", rows)
		}
		var to []string
		for _, r := range rows[1:] {
			if r.Template != flow.TplAlert || r.Status != store.OutSent {
				t.Errorf("row %d: %s %s", r.ID, r.Template, r.Status)
			}
			to = append(to, r.Mail.To[0].Email)
		}
		if strings.Join(to, ",") != "admin.mailflow@dinsospmd.bangkatengahkab.go.id,perencanaan@dinsospmd.bangkatengahkab.go.id" {
			t.Errorf("alerts went to %v", to)
		}
		var run *flow.Run
		e.st.View(context.Background(), func(tx *store.Tx) error { var err error; run, err = tx.LoadRun("run1"); return err })
		if len(run.Failures) != 1 || run.Failures[0].MessageID != rows[0].MessageID {
			t.Errorf("run failures: %+v", run.Failures)
		}
	})
}

// TestAlertFailureDoesNotLoop: an alert that bounces is failed with
// "[alert]" and raises no further alert.
func TestAlertFailureDoesNotLoop(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.start()
		e.smtp.fail("RCPT", 550, 3) // the assignment and both alerts
		w := e.worker(e.options())
		e.drain(w)
		rows := e.outbox()
		if len(rows) != 3 {
			t.Fatalf("%d rows, want 3 (no alert about an alert)", len(rows))
		}
		for _, r := range rows[1:] {
			if r.Status != store.OutFailed || !strings.HasPrefix(r.LastError, "[alert]") {
				t.Errorf("alert row: %s %q", r.Status, r.LastError)
			}
		}
	})
}

// TestPartialRejection: one attendee's 550 does not stop the invitation
// for the others; the flow is told about that one address.
func TestPartialRejection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.start()
		inv := sample(t, flow.TplInvitation)
		for _, a := range inv.Attachments {
			e.putBlob(a)
		}
		e.enqueueRun("run1", inv)
		e.smtp.failRcpt("pmd@dinsospmd.bangkatengahkab.go.id", 550, 1)
		w := e.worker(e.options())
		e.drain(w)
		var invRow store.OutboxRow
		alerts := 0
		for _, r := range e.outbox() {
			if r.MessageID == inv.MessageID {
				invRow = r
			}
			if r.Template == flow.TplAlert {
				alerts++
			}
		}
		if invRow.Status != store.OutSent || alerts != 2 {
			t.Fatalf("invitation %s, %d alerts", invRow.Status, alerts)
		}
		for _, m := range e.smtp.messages() {
			if msgID(t, m.Data) == inv.MessageID && len(m.To) != len(inv.To)-1 {
				t.Errorf("invitation reached %d of %d", len(m.To), len(inv.To)-1)
			}
		}
	})
}

func TestQuietHours(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.clk.Set(time.Date(2024, 6, 7, 19, 0, 0, 0, e.fenv.Cal.Loc)) // Friday evening
		m := sample(t, flow.TplReminder)
		if !m.Automatic {
			t.Fatal("reminder not automatic")
		}
		e.enqueue(m)
		w := e.worker(e.options())
		e.drain(w)
		row := e.outbox()[0]
		monday := time.Date(2024, 6, 10, 7, 30, 0, 0, e.fenv.Cal.Loc)
		if row.Status != store.OutPending || row.Attempts != 0 || !row.NextAttempt.Equal(monday) || len(e.smtp.messages()) != 0 {
			t.Fatalf("automatic mail not held until Monday 07.30: %+v", row)
		}
		// A retry of automatic mail also waits for working hours.
		e.clk.Set(time.Date(2024, 6, 10, 15, 59, 30, 0, e.fenv.Cal.Loc))
		e.smtp.fail("DATA", 451, 1)
		e.drain(w)
		row = e.outbox()[0]
		if want := time.Date(2024, 6, 11, 7, 30, 0, 0, e.fenv.Cal.Loc); !row.NextAttempt.Equal(want) {
			t.Fatalf("retry at %v, want %v", row.NextAttempt, want)
		}
		e.clk.Set(row.NextAttempt)
		e.drain(w)
		if len(e.smtp.messages()) != 1 {
			t.Fatal("not sent in the morning")
		}
	})
}

func TestRateLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		base := sample(t, flow.TplNotice) // an answer: InReplyTo is set
		var ms []*flow.Mail
		for i := 0; i < 3; i++ {
			m := *base
			m.MessageID = strings.Replace(base.MessageID, "@", "x"+string(rune('a'+i))+"@", 1)
			ms = append(ms, &m)
		}
		e.enqueue(ms...)
		opt := e.options()
		opt.SMTP.MaxPerHour = 2
		w := e.worker(opt)
		e.drain(w)
		rows := e.outbox()
		if len(e.smtp.messages()) != 2 || rows[2].Status != store.OutFailed || !strings.HasPrefix(rows[2].LastError, "rate limited") || len(rows) != 3 {
			t.Fatalf("sent %d; rows %+v", len(e.smtp.messages()), rows)
		}
	})
}

// crashSender delivers the n-th mail and then "crashes": it cancels the
// worker before the worker can record the success.
type crashSender struct {
	inner  mailout.Sender
	n      int
	cancel context.CancelFunc
	mu     sync.Mutex
	calls  int
}

func (c *crashSender) Send(ctx context.Context, from string, to []string, msg io.WriterTo) ([]*mailout.Error, error) {
	c.mu.Lock()
	c.calls++
	n := c.calls
	c.mu.Unlock()
	rej, err := c.inner.Send(ctx, from, to, msg)
	if n == c.n {
		c.cancel()
		return nil, context.Canceled
	}
	return rej, err
}

// TestRestartNeverDuplicates: the worker dies right after the server took
// the third of five mails. A new worker on the reopened store sends the
// third again at once (its attempt has no recorded outcome), with the same
// Message-ID, and the last two once; the first two are never repeated.
func TestRestartNeverDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		base := sample(t, flow.TplStatus)
		var ids []string
		var ms []*flow.Mail
		for i := 0; i < 5; i++ {
			m := *base
			m.MessageID = strings.Replace(base.MessageID, "@", "r"+string(rune('a'+i))+"@", 1)
			ids = append(ids, m.MessageID)
			ms = append(ms, &m)
		}
		e.enqueue(ms...)
		opt := e.options()
		inner, err := mailout.NewSMTP(opt.SMTP, mailout.SMTPOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		opt.Sender = &crashSender{inner: inner, n: 3, cancel: cancel}
		w1 := e.worker(opt)
		w1.Drain(ctx)
		inner.Close()
		e.st.Close()

		st, err := store.Open(e.loc, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		e.st = st
		rows := e.outbox()
		for i, want := range []string{store.OutSent, store.OutSent, store.OutPending, store.OutPending, store.OutPending} {
			if rows[i].Status != want {
				t.Fatalf("after the crash row %d is %s, want %s", i, rows[i].Status, want)
			}
		}
		if rows[2].Attempts != 1 || rows[3].Attempts != 0 {
			t.Fatalf("attempts recorded before the try: %d, %d", rows[2].Attempts, rows[3].Attempts)
		}
		if !rows[2].InFlight || rows[2].NextAttempt.Equal(e.clk.Now()) || rows[1].InFlight {
			t.Fatalf("the cut-off send is not marked in flight: %+v", rows[2])
		}
		opt = e.options()
		opt.Store, opt.Engine = st, nil
		w2 := e.worker(opt)
		e.drain(w2) // rows 3, 4 and 5 at once: the clock has not moved
		count := map[string]int{}
		for _, m := range e.smtp.messages() {
			count[msgID(t, m.Data)]++
		}
		for i, id := range ids {
			want := 1
			if i == 2 {
				want = 2 // in flight at the crash
			}
			if count[id] != want {
				t.Errorf("mail %d delivered %d times, want %d", i+1, count[id], want)
			}
		}
		for _, r := range e.outbox() {
			if r.Status != store.OutSent {
				t.Errorf("row %d: %s", r.ID, r.Status)
			}
		}
	})
}

// TestRunWakesOnKick runs the worker loop for real: the engine's Notify
// kicks it, and the assignment reaches the server without any sleep.
func TestRunWakesOnKick(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		w := e.worker(e.options())
		e.eng.Notify = w.Kick
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		e.start()
		r := e.smtp.wait(t)
		if subj := subject(t, r.Data); !strings.HasPrefix(subj, "[LAKIP 2023 - Langkah 2] Mohon arahan") {
			t.Errorf("unexpected mail:\n%.300s", r.Data)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("worker did not stop")
		}
	})
}

func msgID(t *testing.T, raw []byte) string {
	h, _ := parseMsg(t, raw)
	return strings.Trim(h.Header.Get("Message-Id"), "<>")
}

func subject(t *testing.T, raw []byte) string {
	h, _ := parseMsg(t, raw)
	s, err := new(mime.WordDecoder).DecodeHeader(h.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
