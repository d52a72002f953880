package mailout

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Prober is a Sender that can test the way to the server without sending:
// connect, greet, authenticate.
type Prober interface {
	Probe(ctx context.Context) error
}

// recovery is the worker's view of the server between passes. Guarded by
// Worker.mu.
type recovery struct {
	recoveredAt time.Time // the worker's clock at the last recovery pass; zero: none yet
	anyHeld     bool      // some row may be held: a success must release it
	down        bool      // the last failure was the server unreachable while connecting
	probes      int       // probes since the last sent mail (never reset by a probe)
	probeAt     time.Time // wall time of the next probe, while down
}

// recover makes due at once every row whose last attempt has no recorded
// outcome: its send was cut off by a crash or a stop. Its Message-ID is
// stable, so a resend that duplicates it is recognisable. On a store of
// one process (SQLite) that can only have happened before this start, so
// it runs once. On a shared store (PostgreSQL) another instance may die at
// any time with mail in flight: the pass runs again every RecoverEvery and
// takes over the rows of instances that are gone (store.RecoverInFlight),
// so that their mail goes within seconds rather than after its backoff.
func (w *Worker) recover(ctx context.Context) error {
	w.mu.Lock()
	last := w.rec.recoveredAt
	w.mu.Unlock()
	if !last.IsZero() && (!w.shared() || w.opt.Now().Sub(last) < w.opt.RecoverEvery) {
		return nil
	}
	var n int
	err := w.update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.RecoverInFlight(w.opt.Now())
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 && last.IsZero() {
		w.log.Info("mail whose send was cut off is due now (same Message-ID)", "count", n)
	} else if n > 0 {
		w.log.Info("mail another instance was sending when it stopped is due now (same Message-ID)", "count", n)
	}
	w.mu.Lock()
	w.rec.recoveredAt = w.opt.Now()
	w.mu.Unlock()
	return nil
}

// shared tells whether other instances may send from this outbox.
func (w *Worker) shared() bool { return w.opt.Store.Postgres() }

// recoverIn is how long until the next recovery pass is due, for Run's
// wait; ok is false when none will be (one process).
func (w *Worker) recoverIn() (time.Duration, bool) {
	if !w.shared() {
		return 0, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return max(w.rec.recoveredAt.Add(w.opt.RecoverEvery).Sub(w.opt.Now()), 0), true
}

// releaseHeld runs in the transaction that records a sent mail: the
// server takes mail again, so every held mail is due now. A success also
// ends the probing.
func (w *Worker) releaseHeld(tx *store.Tx, now time.Time) (int, error) {
	w.mu.Lock()
	any := w.rec.anyHeld
	w.rec.down, w.rec.probes = false, 0
	w.mu.Unlock()
	if !any {
		return 0, nil
	}
	n, err := tx.ReleaseHeld(now)
	if err == nil {
		w.mu.Lock()
		w.rec.anyHeld = false
		w.mu.Unlock()
	}
	return n, err
}

// serverFailed notes an Unreachable failure; one while connecting starts
// the probes.
func (w *Worker) serverFailed(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.rec.anyHeld = true
	if ServerDown(err) && !w.rec.down {
		w.rec.down = true
		w.rec.probeAt = time.Now().Add(w.probeWait())
	}
}

// probeWait is the wait before the next probe. Called with w.mu held.
func (w *Worker) probeWait() time.Duration {
	s := w.opt.ProbeSchedule
	return s[min(w.rec.probes, len(s)-1)]
}

// probeIn says how long until the next probe, when one is due at all.
func (w *Worker) probeIn() (time.Duration, bool) {
	if _, ok := w.sender.(Prober); !ok {
		return 0, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.rec.down {
		return 0, false
	}
	return max(time.Until(w.rec.probeAt), 0), true
}

// probe tests the way to the server. When it connects, every held mail is
// due now (the next pass sends it); otherwise the next probe waits longer.
// The schedule is reset only by a mail actually sent, so that a server
// that greets but fails every transaction is not hammered.
func (w *Worker) probe(ctx context.Context) {
	p, ok := w.sender.(Prober)
	if !ok {
		return
	}
	err := p.Probe(ctx)
	w.mu.Lock()
	w.rec.probes++
	if err != nil {
		n := w.rec.probes
		w.rec.probeAt = time.Now().Add(w.probeWait())
		w.mu.Unlock()
		w.log.Info("server still unreachable", "probe", n, "err", err)
		return
	}
	w.rec.down = false
	w.mu.Unlock()
	var n int
	if err := w.update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.ReleaseHeld(w.opt.Now())
		return err
	}); err != nil {
		w.log.Error("release held mail", "err", err)
		return
	}
	w.log.Info("the server answers again: held mail is due now", "released", n)
}

// pass is one batch of due mail, sent over up to Conns connections.
type pass struct {
	mu   sync.Mutex
	down error          // the server was found unreachable while connecting
	busy map[string]int // recipients of mail being sent
	cond *sync.Cond
}

func (p *pass) downErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.down
}

func (p *pass) unreachable(err error) {
	if !ServerDown(err) {
		return
	}
	p.mu.Lock()
	if p.down == nil {
		p.down = err
	}
	p.mu.Unlock()
}

// sendAll sends rows concurrently over up to Conns connections. A mail
// waits while another to one of its recipients is on its way, so each
// official receives their mail in the order it was queued. Once the
// server is found unreachable, the rest of the pass is held without
// trying (each try would wait for its own timeout).
func (w *Worker) sendAll(ctx context.Context, rows []store.OutboxRow) error {
	p := &pass{busy: map[string]int{}}
	p.cond = sync.NewCond(&p.mu)
	sem := make(chan struct{}, w.opt.Conns)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	for _, row := range rows {
		if ctx.Err() != nil {
			break
		}
		to := recipients(&row.Mail)
		for i := range to {
			to[i] = strings.ToLower(to[i])
		}
		p.mu.Lock()
		for p.overlaps(to) {
			p.cond.Wait()
		}
		for _, r := range to {
			p.busy[r]++
		}
		p.mu.Unlock()
		sem <- struct{}{}
		if ctx.Err() != nil {
			break // stopped while waiting: leave the rest untouched
		}
		wg.Add(1)
		go func(row store.OutboxRow) {
			defer wg.Done()
			err := w.process(ctx, row, p)
			<-sem
			p.mu.Lock()
			for _, r := range to {
				if p.busy[r]--; p.busy[r] == 0 {
					delete(p.busy, r)
				}
			}
			p.cond.Broadcast()
			p.mu.Unlock()
			if err != nil {
				errMu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				errMu.Unlock()
			}
		}(row)
	}
	wg.Wait()
	return firstErr
}

func (p *pass) overlaps(to []string) bool {
	for _, r := range to {
		if p.busy[r] > 0 {
			return true
		}
	}
	return false
}
