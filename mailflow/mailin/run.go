package mailin

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Run watches the mailbox until ctx is done, reconnecting after any error
// with exponential backoff and jitter. It returns nil when ctx ends, an
// error for a configuration it can never work with, and store.ErrLeaseLost
// as soon as a write under ctx's fence (daemon.Leased) is refused: the
// mailbox is another instance's now, so neither a retry nor a reconnect.
func (w *Watcher) Run(ctx context.Context) error {
	if w.opt.Store == nil || w.opt.Handler == nil {
		return errors.New("mailin: options need a store and a handler")
	}
	if err := checkTLSMode(w.opt.IMAP.Server); err != nil {
		return err
	}
	var (
		tries     int       // failed attempts in the current outage
		down      time.Time // when the outage began
		connected bool      // ever connected
	)
	onConnected := func() {
		switch {
		case tries > 0 && connected:
			w.log.Info("reconnected", "tries", tries, "down", w.opt.Now().Sub(down).Round(time.Millisecond))
		case tries > 0:
			w.log.Info("connected", "tries", tries)
		default:
			w.log.Info("connected")
		}
		tries, connected = 0, true
		if w.opt.OnConnected != nil {
			w.opt.OnConnected()
		}
	}
	for {
		err := w.session(ctx, onConnected)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, store.ErrLeaseLost) {
			return err
		}
		var retry *retryLater
		if errors.As(err, &retry) {
			// A message failed, not the connection: its wait, logged
			// already; the next session fetches it again.
			select {
			case <-ctx.Done():
				return nil
			case <-w.opt.After(retry.Wait):
			}
			continue
		}
		w.state(State{Err: err})
		if tries == 0 {
			down = w.opt.Now()
			// One line per outage, not one per retry.
			if connected {
				w.log.Warn("connection lost", "err", err)
			} else {
				w.log.Warn("cannot connect", "err", err)
			}
		} else {
			w.log.Debug("reconnect failed", "try", tries, "err", err)
		}
		tries++
		select {
		case <-ctx.Done():
			return nil
		case <-w.opt.After(Backoff(tries, w.opt.BackoffBase, w.opt.BackoffMax, rand.Float64())):
		}
	}
}

// Backoff is the wait before reconnect attempt n (1-based): base doubled
// per attempt up to max, with "equal jitter": half of it fixed, half random
// (r in [0, 1)), so that clients restarted together spread out.
func Backoff(n int, base, max time.Duration, r float64) time.Duration {
	d := min(base, max)
	for i := 1; i < n && d < max; i++ {
		if d > max/2 { // doubling would pass max, or overflow
			d = max
			break
		}
		d *= 2
	}
	half := d / 2
	return half + time.Duration(float64(d-half)*r)
}
