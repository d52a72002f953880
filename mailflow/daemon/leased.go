package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Lease timing: a holder renews every LeaseEvery; a lease not renewed for
// LeaseTTL is free, and the others try every LeaseEvery, so a dead
// holder's mailbox is taken over within LeaseTTL + LeaseEvery (11 s).
const (
	LeaseTTL   = 9 * time.Second
	LeaseEvery = 2 * time.Second
)

// Leased runs Inner (the mailbox watcher) only while this instance holds
// the lease Name, under a context that fences every store write with it.
// Instances that share a PostgreSQL store each run one; exactly one of
// them watches the mailbox at a time.
type Leased struct {
	Store  *store.Store
	Name   string // "mailbox:<user>@<host>/<folder>"
	Holder string // this instance (Instance())
	Inner  Component
	Log    *slog.Logger
	// TTL and Every default to LeaseTTL and LeaseEvery.
	TTL, Every time.Duration
	// Changed, if set, is told when this instance gains (gen > 0) or
	// loses (gen 0) the lease.
	Changed func(gen int64)
}

// Instance names this process for leases and logs: host and pid.
func Instance() string {
	h, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", h, os.Getpid())
}

// Run tries for the lease until ctx ends, running Inner while it holds it.
func (l *Leased) Run(ctx context.Context) error {
	ttl, every := l.TTL, l.Every
	if ttl == 0 {
		ttl = LeaseTTL
	}
	if every == 0 {
		every = LeaseEvery
	}
	log := l.Log.With("lease", l.Name, "instance", l.Holder)
	for {
		lease, err := l.Store.Acquire(ctx, l.Name, l.Holder, ttl)
		if err != nil && ctx.Err() == nil {
			log.Error("cannot reach the lease; retrying", "err", err)
		}
		if lease != nil {
			log.Info("holding the lease: watching the mailbox", "generation", lease.Gen)
			if err := l.hold(ctx, lease, every, log); err != nil {
				return err
			}
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// hold runs Inner under the lease until the lease is lost (nil: try again)
// or ctx ends or Inner fails (its error).
func (l *Leased) hold(ctx context.Context, lease *store.Lease, every time.Duration, log *slog.Logger) error {
	if l.Changed != nil {
		l.Changed(lease.Gen)
		defer l.Changed(0)
	}
	ictx, cancel := context.WithCancel(store.WithFence(ctx, lease))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- l.Inner.Run(ictx) }()
	t := time.NewTicker(every)
	defer t.Stop()
	stop := func() error { // a clean stop: hand the mailbox over at once
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := lease.Release(rctx); err != nil {
			log.Warn("could not release the lease; it expires by itself", "err", err)
		}
		return ctx.Err()
	}
	for {
		select {
		case <-ctx.Done():
			cancel()
			<-done
			return stop()
		case err := <-done:
			if ctx.Err() != nil { // the watcher saw the stop first
				return stop()
			}
			if errors.Is(err, store.ErrLeaseLost) {
				log.Warn("lease lost during a write: the watcher stopped", "generation", lease.Gen)
				return nil
			}
			if err == nil || errors.Is(err, context.Canceled) {
				err = errors.New("the watcher stopped by itself")
			}
			return err
		case <-t.C:
			if err := lease.Renew(ctx); err != nil {
				if ctx.Err() != nil {
					continue // the stop is handled above
				}
				// Lost or unreachable: stop watching now, before the
				// lease can pass to another instance.
				log.Warn("lease not renewed: the watcher stops", "generation", lease.Gen, "err", err)
				cancel()
				<-done
				return nil
			}
		}
	}
}
