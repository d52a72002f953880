package mailout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/letter"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Options build a Worker. Store, Engine and Renderer are required; SMTP
// (or Sender) says where mail goes.
type Options struct {
	Store    *store.Store
	Engine   *engine.Engine // delivery failures are fed back through it
	Renderer *render.Renderer
	Blobs    Blobs
	Office   Office
	Cal      *workcal.Calendar // quiet hours for automatic mail; nil: none
	SMTP     config.SMTP       // used when Sender is nil
	// SentIMAP, when set with SMTP.SentFolder, receives a copy of every
	// sent mail by IMAP APPEND (best effort).
	SentIMAP *config.IMAP
	Sender   Sender // overrides SMTP (tests, the demo)
	Dial     DialFunc
	Log      *slog.Logger
	// Now is the clock (default: the engine's, else time.Now).
	Now func() time.Time
	// Jitter returns a uniform number in [0,1) for Backoff (default rand).
	Jitter func() float64
	// Batch is how many due mails one pass reads (default 64).
	Batch int
	// MaxWait caps one idle wait, so that an accelerated clock is re-read
	// (default 30 s).
	MaxWait time.Duration
	// Conns is how many mails go at once, each over its own kept SMTP
	// connection, so that a fan-out (step 4's six assignments) does not
	// wait in line (default 3; 1 with a custom Sender unless set). Mail to
	// the same address keeps its order.
	Conns int
	// ProbeSchedule is how long to wait before each test connection while
	// the server is unreachable; the last wait repeats (default 1, 2, 4, 8,
	// 10 s). A probe that connects makes every held mail due at once.
	ProbeSchedule []time.Duration
	// RecoverEvery is how often a worker on a store several instances
	// share (PostgreSQL) takes over the mail in flight at instances that
	// are gone (default 5 s). On SQLite that happens once, at start.
	RecoverEvery time.Duration
}

// DefaultProbeSchedule: a restarting authentication service (454) or
// submission server is back within seconds; the end of a longer outage is
// noticed within 10 s (a connection every 10 s is what an IMAP client's
// keep-alive costs a server).
var DefaultProbeSchedule = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second}

// Worker drains the outbox. Run it in one goroutine; Kick wakes it.
type Worker struct {
	opt    Options
	comp   *Composer
	sender Sender
	sent   *SentFolder
	log    *slog.Logger
	kick   chan struct{}

	// claimMiss counts rows another instance claimed first.
	claimMiss atomic.Int64

	mu       sync.Mutex
	observer func(Outcome) // tests and benchmarks
	rec      recovery
	arc      archiver // sent mail being archived (archive.go)
}

// Outcome is what happened to one attempt, for observers and logs.
type Outcome struct {
	ID        int64
	MessageID string
	Attempt   int
	Status    string // store.OutSent, store.OutFailed, store.OutPending
	Err       error
	At        time.Time
}

// New builds a worker.
func New(opt Options) (*Worker, error) {
	if opt.Store == nil || opt.Renderer == nil {
		return nil, errors.New("mailout: Store and Renderer are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
		if opt.Engine != nil && opt.Engine.Now != nil {
			opt.Now = opt.Engine.Now
		}
	}
	if opt.Jitter == nil {
		opt.Jitter = rand.Float64
	}
	if opt.Batch <= 0 {
		opt.Batch = 64
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 30 * time.Second
	}
	if opt.Conns <= 0 {
		opt.Conns = 3
		if opt.Sender != nil {
			opt.Conns = 1
		}
	}
	if opt.RecoverEvery <= 0 {
		opt.RecoverEvery = 5 * time.Second
	}
	if len(opt.ProbeSchedule) == 0 {
		opt.ProbeSchedule = DefaultProbeSchedule
	}
	w := &Worker{opt: opt, log: opt.Log, kick: make(chan struct{}, 1), sender: opt.Sender}
	w.rec.anyHeld = true // rows held by an earlier process are released by the first success
	var loc *time.Location
	if opt.Cal != nil {
		loc = opt.Cal.Loc
	}
	w.comp = &Composer{Renderer: opt.Renderer, Blobs: opt.Blobs, Office: opt.Office, Loc: loc, Cal: opt.Cal,
		Letters: &letter.Issuer{Office: opt.Renderer.Office(), Numbers: opt.Store, Loc: loc}}
	if w.sender == nil {
		p, err := NewPool(opt.Conns, func() (*SMTP, error) {
			return NewSMTP(opt.SMTP, SMTPOptions{Dial: opt.Dial, Helo: domainOf(opt.Office.Mailbox)})
		})
		if err != nil {
			return nil, err
		}
		w.sender = p
	}
	if opt.SentIMAP != nil && opt.SMTP.SentFolder != "" {
		w.sent = &SentFolder{IMAP: *opt.SentIMAP, Folder: opt.SMTP.SentFolder}
	}
	return w, nil
}

// Composer is the worker's composer, for the demo and tests.
func (w *Worker) Composer() *Composer { return w.comp }

// Kick wakes the worker: new mail was queued. Pass it as engine.Notify.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Observe registers f to be told about every attempt (nil: none).
func (w *Worker) Observe(f func(Outcome)) {
	w.mu.Lock()
	w.observer = f
	w.mu.Unlock()
}

func (w *Worker) tell(o Outcome) {
	w.mu.Lock()
	f := w.observer
	w.mu.Unlock()
	if f != nil {
		f(o)
	}
}

// Run sends due mail until ctx ends, then closes the SMTP connections. It
// waits on Kick, until the next mail is due, or, while the server is
// unreachable, until the next probe. A mail being sent when ctx ends is
// abandoned; its attempt is recorded without an outcome, so the next start
// sends it again at once, with the same Message-ID.
func (w *Worker) Run(ctx context.Context) error {
	defer w.closeSender()
	defer w.arc.wait()
	for {
		next, err := w.Drain(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := w.opt.MaxWait
		if err != nil {
			w.log.Error("outbox pass failed; retrying", "err", err)
		} else if !next.IsZero() {
			wait = min(max(next.Sub(w.opt.Now()), 0), w.opt.MaxWait)
		}
		probe := false
		if d, ok := w.probeIn(); ok && d <= wait {
			wait, probe = d, true
		}
		if d, ok := w.recoverIn(); ok && d < wait {
			wait, probe = d, false // the next Drain recovers first
		}
		if !probe && (next.IsZero() || wait > time.Second) {
			w.closeSender() // don't hold an idle connection for long
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.kick:
		case <-t.C:
			if probe {
				w.probe(ctx)
			}
		}
		t.Stop()
	}
}

func (w *Worker) closeSender() {
	if c, ok := w.sender.(io.Closer); ok {
		c.Close()
	}
}

// Drain sends every mail due now, then returns when the next one is due
// (zero: none pending). The first call makes mail whose send was cut off
// by a crash due at once.
func (w *Worker) Drain(ctx context.Context) (time.Time, error) {
	if err := w.recover(ctx); err != nil {
		return time.Time{}, err
	}
	for ctx.Err() == nil {
		now := w.opt.Now()
		var rows []store.OutboxRow
		err := w.opt.Store.View(ctx, func(tx *store.Tx) error {
			var err error
			rows, err = tx.DueMail(now, w.opt.Batch)
			return err
		})
		if err != nil {
			return time.Time{}, fmt.Errorf("read due mail: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		miss := w.claimMiss.Load()
		if err := w.sendAll(ctx, rows); err != nil {
			return time.Time{}, err
		}
		if w.claimMiss.Load()-miss == int64(len(rows)) {
			break // every row was another instance's: it sends them
		}
	}
	var next time.Time
	err := w.opt.Store.View(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		var err error
		next, err = tx.NextMail()
		return err
	})
	return next, err
}

// process makes one attempt at one mail. It returns an error only when the
// store fails; delivery problems are recorded on the row. When the pass
// already found the server unreachable, the mail is held back without a
// try, as if it had been tried.
func (w *Worker) process(ctx context.Context, row store.OutboxRow, p *pass) error {
	m := &row.Mail
	now := w.opt.Now()
	log := w.log.With("id", row.ID, "message_id", row.MessageID, "template", row.Template, "run", row.RunID)
	// Quiet hours hold automatic mail, retries included; alerts go at once.
	if m.WaitsForHours() && w.opt.Cal != nil && !w.opt.Cal.InHours(now) {
		open := w.opt.Cal.NextOpen(now)
		log.Info("quiet hours: automatic mail waits", "until", open)
		return w.update(ctx, func(tx *store.Tx) error { return tx.MailDefer(row.ID, open) })
	}
	if row.Attempts == 0 && isAnswer(m) && w.opt.SMTP.MaxPerHour > 0 {
		limited, err := w.rateLimited(ctx, row, now)
		if err != nil || limited {
			return err
		}
	}
	msg, err := w.comp.Compose(m, row.Created)
	if err != nil && !errors.Is(err, ErrCompose) {
		return err // the store failed (numbering the letter): try again later
	}
	if err != nil {
		log.Error("compose failed", "err", err)
		return w.failed(ctx, row, err.Error(), recipients(m), now)
	}
	attempt := row.Attempts + 1
	delay, giveUp := Backoff(attempt, w.opt.Jitter())
	next := now.Add(delay)
	if m.WaitsForHours() && w.opt.Cal != nil {
		next = w.opt.Cal.NextOpen(next)
	}
	var rejected []*Error
	if down := p.downErr(); down != nil {
		err = fmt.Errorf("not tried, the server was unreachable a moment ago: %w", down)
	} else {
		// Persist, then act: the attempt is on disk before the server sees it.
		// Claiming the row is that record: an instance sharing the store
		// that read the same row finds it claimed and leaves it.
		claimed := false
		if err := w.update(ctx, func(tx *store.Tx) (err error) {
			claimed, err = tx.ClaimMail(row.ID, row.Attempts, attempt, next, now)
			return err
		}); err != nil {
			return err
		}
		if !claimed {
			w.claimMiss.Add(1)
			log.Debug("another instance has this mail")
			return nil
		}
		rejected, err = w.sender.Send(ctx, w.opt.Office.Mailbox, recipients(m), msg)
	}
	done := w.opt.Now()
	switch {
	case err == nil:
		released := 0
		if err := w.update(ctx, func(tx *store.Tx) error {
			if err := tx.MailSent(row.ID, done); err != nil {
				return err
			}
			var err error
			released, err = w.releaseHeld(tx, done)
			return err
		}); err != nil {
			return err
		}
		log.Info("mail sent", "attempt", attempt, "to", strings.Join(recipients(m), ","))
		if released > 0 {
			log.Info("the server takes mail again: held mail is due now", "released", released)
			w.Kick()
		}
		for _, r := range rejected {
			log.Warn("recipient refused; the others got the mail", "to", r.Recipient, "err", r)
			if err := w.report(ctx, row, r.Reason(), []string{r.Recipient}, done, false); err != nil {
				return err
			}
		}
		w.tell(Outcome{ID: row.ID, MessageID: row.MessageID, Attempt: attempt, Status: store.OutSent, At: done})
		w.appendSent(ctx, msg, log)
		w.archive(ctx, row, msg, done, log) // msg is not used here after this
		return nil
	case ctx.Err() != nil:
		log.Info("stopped during send; the attempt will be repeated", "attempt", attempt)
		return nil
	case IsPermanent(err) || giveUp:
		reason := reasonOf(err)
		if giveUp && !IsPermanent(err) {
			reason = fmt.Sprintf("gave up after %d attempts over %s: %s", attempt, GiveUpAfter, reason)
		}
		log.Warn("delivery failed", "attempt", attempt, "err", err)
		if row.RunID == "" {
			// No run to tell, and an alert about an alert would loop.
			log.Error("ALERT: a mail to the admin could not be delivered; nobody else is told", "to", strings.Join(recipients(m), ","),
				"reason", reasonOf(err), "hint", "check office.admin in the config")
		}
		who := recipients(m)
		var e *Error
		if errors.As(err, &e) && e.Recipient != "" && !strings.Contains(e.Recipient, ",") {
			who = []string{e.Recipient}
		}
		return w.failed(ctx, row, reason, who, done)
	case Unreachable(err):
		p.unreachable(err)
		w.serverFailed(err)
		log.Info("server unreachable; mail held until it answers", "attempt", attempt, "next", next, "err", err)
		if err := w.update(ctx, func(tx *store.Tx) error { return tx.MailHeld(row.ID, attempt, next, reasonOf(err)) }); err != nil {
			return err
		}
		w.tell(Outcome{ID: row.ID, MessageID: row.MessageID, Attempt: attempt, Status: store.OutPending, Err: err, At: done})
		return nil
	default:
		log.Info("temporary failure; will retry", "attempt", attempt, "next", next, "err", err)
		if err := w.update(ctx, func(tx *store.Tx) error { return tx.MailError(row.ID, reasonOf(err)) }); err != nil {
			return err
		}
		w.tell(Outcome{ID: row.ID, MessageID: row.MessageID, Attempt: attempt, Status: store.OutPending, Err: err, At: done})
		return nil
	}
}

// failed marks the mail failed and, in the same transaction, tells the
// flow, which records it and alerts the admin and the coordinator. The
// failure of an alert is marked so that it raises no alert of its own.
func (w *Worker) failed(ctx context.Context, row store.OutboxRow, reason string, who []string, at time.Time) error {
	return w.report(ctx, row, reason, who, at, true)
}

// report tells the flow that who did not get the mail; with mark the row
// is failed too (not when other recipients got it).
func (w *Worker) report(ctx context.Context, row store.OutboxRow, reason string, who []string, at time.Time, mark bool) error {
	if row.Template == flow.TplAlert && !strings.Contains(reason, "[alert]") {
		reason = "[alert] " + reason
	}
	markFailed := func(tx *store.Tx) error {
		if !mark {
			return nil
		}
		return tx.MailFailed(row.ID, reason)
	}
	err := w.update(ctx, func(tx *store.Tx) error {
		if err := markFailed(tx); err != nil {
			return err
		}
		if w.opt.Engine == nil || row.RunID == "" {
			return nil
		}
		// One event per failure, naming every recipient that missed it, so
		// that one bad invitation raises one alert, not one per attendee.
		ev := flow.Event{Type: flow.EvDeliveryFailed, At: at, RunID: row.RunID, FailedID: row.MessageID,
			Recipient: strings.Join(who, ", "), Reason: reason, Step: row.Step}
		if _, err := w.opt.Engine.HandleTx(tx, ev, nil); err != nil {
			return fmt.Errorf("report failure of %s to the flow: %w", row.MessageID, err)
		}
		return nil
	})
	if err != nil {
		// The flow refused the event (e.g. the run is gone): still fail the mail.
		w.log.Error("could not report the failure to the flow; marking the mail failed only", "message_id", row.MessageID, "err", err)
		err = w.update(ctx, markFailed)
	}
	if err != nil {
		return err
	}
	if !mark {
		w.Kick()
		return nil
	}
	w.tell(Outcome{ID: row.ID, MessageID: row.MessageID, Attempt: row.Attempts + 1, Status: store.OutFailed, Err: errors.New(reason), At: at})
	w.Kick() // the alert the flow queued
	return nil
}

// rateLimited applies Config.Mail.SMTP.MaxPerHour to automatic answers
// per address: one more is refused, not sent, and raises no alert.
func (w *Worker) rateLimited(ctx context.Context, row store.OutboxRow, now time.Time) (bool, error) {
	addr := row.Mail.To[0].Email
	var n int
	err := w.update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.RateHit(addr, now, now.Add(-time.Hour))
		if err != nil || n <= w.opt.SMTP.MaxPerHour {
			return err
		}
		return tx.MailFailed(row.ID, fmt.Sprintf("rate limited: %d automatic answers to %s within an hour (max_per_hour = %d)", n, addr, w.opt.SMTP.MaxPerHour))
	})
	if err != nil {
		return false, err
	}
	if n > w.opt.SMTP.MaxPerHour {
		w.log.Warn("rate limited: automatic answer not sent", "to", addr, "message_id", row.MessageID, "count", n)
		w.tell(Outcome{ID: row.ID, MessageID: row.MessageID, Status: store.OutFailed, Err: errors.New("rate limited"), At: now})
		return true, nil
	}
	return false, nil
}

// update commits even when ctx was cancelled mid-send: the outcome of a
// try that happened must be recorded.
func (w *Worker) update(ctx context.Context, fn func(*store.Tx) error) error {
	return w.opt.Store.Update(context.WithoutCancel(ctx), fn)
}

func (w *Worker) appendSent(ctx context.Context, msg *mail.Msg, log *slog.Logger) {
	if w.sent == nil {
		return
	}
	if err := w.sent.Append(ctx, msg, w.opt.Now()); err != nil {
		log.Warn("copy to the Sent folder failed (the mail itself was sent)", "folder", w.sent.Folder, "err", err)
	}
}

// isAnswer: mail that answers an official's message (receipts, notices,
// STATUS and BANTUAN) is what a mail loop would multiply.
func isAnswer(m *flow.Mail) bool { return m.InReplyTo != "" }

func recipients(m *flow.Mail) []string {
	var out []string
	for _, r := range m.To {
		out = append(out, r.Email)
	}
	for _, r := range m.Cc {
		out = append(out, r.Email)
	}
	return out
}

func reasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason()
	}
	return err.Error()
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}
