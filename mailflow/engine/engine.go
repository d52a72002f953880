// Package engine is the shell around the pure flow: it applies an event by
// loading the run, calling flow.Apply and storing, in one transaction, the
// event, the new state, the outbox rows, the deadline and the
// "message processed" marker. Only after that commit does anything act on
// the effects (the outbox worker sends; the IMAP watcher flags the message).
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Engine applies events durably.
type Engine struct {
	Store *store.Store
	Env   flow.Env
	Log   *slog.Logger
	// Now is the clock; the demo accelerates it, tests fix it.
	Now func() time.Time
	// Notify is called after each commit that queued mail or moved a
	// deadline, so that workers wake up. May be nil.
	Notify func()
	// Observe, if set, is told of every committed result (metrics).
	Observe func(*Result)

	// cache holds runs as last committed, keyed by ID. The engine is the
	// store's only writer, so a cached run whose seq matches the row is the
	// row: decoding its JSON again would be a fifth of an event's cost.
	mu    sync.Mutex
	cache map[string]*flow.Run
}

const cacheMax = 4096

func (e *Engine) cached(tx *store.Tx, id string) (*flow.Run, error) {
	e.mu.Lock()
	r := e.cache[id]
	e.mu.Unlock()
	if r != nil {
		seq, err := tx.RunSeq(id)
		if err != nil {
			return nil, err
		}
		if seq == r.Seq {
			return r, nil // flow.Apply never modifies its input
		}
	}
	return tx.LoadRun(id)
}

func (e *Engine) remember(r *flow.Run) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cache == nil || len(e.cache) >= cacheMax {
		e.cache = make(map[string]*flow.Run)
	}
	e.cache[r.ID] = r
}

// New builds an engine with the real clock.
func New(st *store.Store, env flow.Env, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{Store: st, Env: env, Log: log, Now: time.Now}
}

// Result is what applying an event did.
type Result struct {
	Event flow.EventType
	// Run is the run after the event; nil for a bounce of a mail of no run
	// (see AdminMail), which changes no run.
	Run     *flow.Run
	Effects []flow.Effect
	Notes   []string
	Command flow.Command // the reply's command, if any
	// Chained are the runs started in the same transaction by a finished
	// run's Keterkaitan (sop.Next).
	Chained []*Result
}

// Handle applies ev. With in set, the inbound message is marked processed
// in the same transaction, and a message processed before is refused with
// store.ErrDuplicate (nothing is applied twice).
func (e *Engine) Handle(ctx context.Context, ev flow.Event, in *store.Inbound) (*Result, error) {
	var res *Result
	err := e.Store.Update(ctx, func(tx *store.Tx) error {
		var err error
		res, err = e.apply(tx, ev, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	e.Committed(res)
	return res, nil
}

// Committed tells the engine that a HandleTx result was committed by the
// caller: it is cached and the workers are woken.
func (e *Engine) Committed(res *Result) {
	if e.Observe != nil {
		e.Observe(res)
	}
	if res.Run == nil { // an event about mail of no run
		if e.Notify != nil {
			e.Notify()
		}
		return
	}
	e.remember(res.Run)
	for _, n := range res.Notes {
		e.Log.Info(n, "run", res.Run.ID, "event", string(res.Event))
	}
	for _, c := range res.Chained {
		e.remember(c.Run)
		for _, n := range c.Notes {
			e.Log.Info(n, "run", c.Run.ID, "event", string(c.Event))
		}
	}
	if e.Notify != nil {
		e.Notify()
	}
}

// HandleTx is Handle inside a caller's transaction, for callers that must
// record more in the same commit (e.g. attachment metadata).
func (e *Engine) HandleTx(tx *store.Tx, ev flow.Event, in *store.Inbound) (*Result, error) {
	return e.apply(tx, ev, in)
}

func (e *Engine) apply(tx *store.Tx, ev flow.Event, in *store.Inbound) (*Result, error) {
	now := e.Now()
	if in != nil {
		seen, err := tx.SeenInbound(*in)
		if err != nil {
			return nil, err
		}
		if seen {
			return nil, store.ErrDuplicate
		}
	}
	if ev.Type == flow.EvDeliveryFailed && ev.RunID == "" {
		return e.adminMailFailed(tx, ev, in, now)
	}
	var run *flow.Run
	if ev.Type != flow.EvStart {
		var err error
		if run, err = e.cached(tx, ev.RunID); err != nil {
			return nil, err
		}
	}
	next, effs, err := flow.Apply(e.Env, run, ev)
	if err != nil {
		return nil, err
	}
	res := &Result{Run: next, Effects: effs, Event: ev.Type, Command: ev.Command}
	var chained []*flow.Chain
	if err := tx.SaveRun(next, now); err != nil {
		return nil, err
	}
	for _, eff := range effs {
		switch eff.Type {
		case flow.EffNote:
			res.Notes = append(res.Notes, eff.Note)
		case flow.EffSend:
			if err := tx.Enqueue(next.ID, next.Seq, eff.Mail, now, e.sendAt(eff.Mail, ev.At, now)); err != nil {
				return nil, err
			}
		case flow.EffDeadline:
			if err := tx.SetDeadline(next.ID, eff.Deadline); err != nil {
				return nil, err
			}
		case flow.EffChain:
			chained = append(chained, eff.Chain)
		}
	}
	if err := tx.AppendEvent(next.ID, next.Seq, ev, res.Notes); err != nil {
		return nil, err
	}
	// A finished run that starts the next SOP's run (Keterkaitan) starts
	// it in the same transaction: both commit, or neither.
	for _, c := range chained {
		tok := token.New()
		sub, err := e.apply(tx, flow.Event{Type: flow.EvStart, At: ev.At, RunID: tok[:10], Token: tok, SOP: c.SOP, Title: c.Title,
			Parent: c.Parent, Docs: c.Docs, Notes: "Dilanjutkan dari " + next.Title + "."}, nil)
		if err != nil {
			return nil, fmt.Errorf("start the next SOP %s after run %s: %w", c.SOP, next.ID, err)
		}
		res.Chained = append(res.Chained, sub)
	}
	if in != nil {
		in.RunID = next.ID
		if in.Result == "" {
			in.Result = "applied"
		}
		in.At = now
		if err := tx.MarkInbound(*in); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// sendAt applies quiet hours: automatic mail (reminders, receipts,
// notices) waits for working hours; assignments and answers go at once.
func (e *Engine) sendAt(m *flow.Mail, evAt, now time.Time) time.Time {
	t := now
	if evAt.After(t) {
		t = evAt
	}
	if m.WaitsForHours() {
		return e.Env.Cal.NextOpen(t)
	}
	return t
}

// Start begins a run by hand or from a disposition.
func (e *Engine) Start(ctx context.Context, sopID, title, by, messageID string, att []flow.Attachment, in *store.Inbound) (*Result, error) {
	tok := token.New()
	ev := flow.Event{Type: flow.EvStart, At: e.Now(), RunID: tok[:10], Token: tok, SOP: sopID, Title: title,
		From: by, MessageID: messageID, Attachments: att}
	return e.Handle(ctx, ev, in)
}

// Tick applies a tick to every run whose deadline has come, and returns
// how many it woke. Its cost follows the number due, not the number open.
func (e *Engine) Tick(ctx context.Context) (int, error) {
	now := e.Now()
	n := 0
	for {
		var ids []string
		err := e.Store.View(ctx, func(tx *store.Tx) error {
			var err error
			ids, err = tx.DueRuns(now, 256)
			return err
		})
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			return n, nil
		}
		before := n
		for _, id := range ids {
			// The tick is applied in the transaction that claims the
			// deadline: an instance sharing the store skips it meanwhile,
			// and finds it moved once this one commits.
			var res *Result
			err := e.Store.Update(ctx, func(tx *store.Tx) error {
				res = nil
				ok, err := tx.ClaimDeadline(id, now)
				if err != nil || !ok {
					return err
				}
				res, err = e.apply(tx, flow.Event{Type: flow.EvTick, At: now, RunID: id}, nil)
				return err
			})
			if err != nil {
				return n, fmt.Errorf("tick run %s: %w", id, err)
			}
			if res != nil {
				e.Committed(res)
				n++
			}
		}
		if len(ids) < 256 || n == before {
			return n, nil // a batch all claimed by other instances: they tick it
		}
	}
}

// NextWake is when Tick next has work (zero: none).
func (e *Engine) NextWake(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := e.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.NextDeadline()
		return err
	})
	return t, err
}

// IsDuplicate reports whether err means the message was seen before.
func IsDuplicate(err error) bool { return errors.Is(err, store.ErrDuplicate) }
