// Package daemon runs mailflow: it drives the engine's ticks from the clock
// and runs the mail-in watcher and the mail-out worker beside it until the
// context ends (SIGINT/SIGTERM in cmd/mailflow).
package daemon

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
)

// Component is a long-running part (the IMAP watcher, the outbox worker).
// Run returns when ctx ends.
type Component interface {
	Run(ctx context.Context) error
}

// Daemon wires the engine's clock loop and the components.
type Daemon struct {
	Engine     *engine.Engine
	Log        *slog.Logger
	Components map[string]Component
	// MaxSleep bounds how long the tick loop sleeps between checks, so a
	// clock jump (or an accelerated demo clock) is noticed. Default 1 min.
	MaxSleep time.Duration
	wake     chan struct{} // Kick's signal to the tick loop
}

// New makes a daemon.
func New(e *engine.Engine, log *slog.Logger) *Daemon {
	return &Daemon{Engine: e, Log: log, Components: map[string]Component{}, MaxSleep: time.Minute, wake: make(chan struct{}, 1)}
}

// Kick wakes the tick loop early (e.g. after a config reload or a start).
func (d *Daemon) Kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run runs until ctx ends, then waits for every component to stop.
func (d *Daemon) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, len(d.Components)+1)
	for name, c := range d.Components {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.Log.Info("starting", "component", name)
			if err := c.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				d.Log.Error("component stopped", "component", name, "err", err)
				errc <- err
				cancel()
				return
			}
			d.Log.Info("stopped", "component", name)
		}()
	}
	err := d.tickLoop(ctx)
	cancel()
	wg.Wait()
	close(errc)
	if cerr, ok := <-errc; ok {
		return cerr
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// tickLoop sleeps until the next deadline (at most MaxSleep) and ticks.
func (d *Daemon) tickLoop(ctx context.Context) error {
	for {
		n, err := d.Engine.Tick(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			d.Log.Error("tick failed; retrying in a minute", "err", err)
		} else if n > 0 {
			d.Log.Info("deadlines handled", "runs", n)
		}
		sleep := d.MaxSleep
		if next, err := d.Engine.NextWake(ctx); err == nil && !next.IsZero() {
			if until := next.Sub(d.Engine.Now()); until < sleep {
				sleep = max(until, 10*time.Millisecond)
			}
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-d.wake:
			t.Stop()
		case <-t.C:
		}
	}
}
