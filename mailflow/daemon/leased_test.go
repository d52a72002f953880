package daemon_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestLeasedWatcherHandsOver: three instances, one watcher at a time. A
// clean stop hands the mailbox over at once; an instance that loses its
// database (as good as dead to the others) stops its watcher before the
// next one starts; a watcher whose fenced write is refused stops.
func TestLeasedWatcherHandsOver(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		var running, maxRunning atomic.Int32
		var mu sync.Mutex
		var gens []int64
		type inst struct {
			st     *store.Store
			cancel context.CancelFunc
			done   chan error
		}
		start := func(name string) *inst {
			st, err := store.Open(loc, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			inner := compFunc(func(ctx context.Context) error {
				n := running.Add(1)
				defer running.Add(-1)
				for m := maxRunning.Load(); n > m && !maxRunning.CompareAndSwap(m, n); m = maxRunning.Load() {
				}
				// A watcher writes under the fence as it goes.
				for ctx.Err() == nil {
					err := st.Update(ctx, func(tx *store.Tx) error { return tx.SetCursor("INBOX", 1, 1) })
					if errors.Is(err, store.ErrLeaseLost) {
						return err
					}
					time.Sleep(20 * time.Millisecond)
				}
				return ctx.Err()
			})
			l := &daemon.Leased{Store: st, Name: "mailbox:test", Holder: name, Inner: inner, Log: slog.New(slog.DiscardHandler),
				TTL: 600 * time.Millisecond, Every: 100 * time.Millisecond,
				Changed: func(gen int64) {
					if gen > 0 {
						mu.Lock()
						gens = append(gens, gen)
						mu.Unlock()
					}
				}}
			ctx, cancel := context.WithCancel(context.Background())
			in := &inst{st: st, cancel: cancel, done: make(chan error, 1)}
			go func() { in.done <- l.Run(ctx) }()
			return in
		}
		holders := func() int {
			mu.Lock()
			defer mu.Unlock()
			return len(gens)
		}
		waitHolders := func(n int, within time.Duration) time.Duration {
			t0 := time.Now()
			for holders() < n {
				if time.Since(t0) > within {
					t.Fatalf("no takeover within %v (%d holders so far)", within, holders())
				}
				time.Sleep(10 * time.Millisecond)
			}
			return time.Since(t0)
		}
		a := start("a")
		waitHolders(1, 2*time.Second)
		bi, ci := start("b"), start("c")
		time.Sleep(300 * time.Millisecond)
		if holders() != 1 {
			t.Fatalf("%d holders while a lives", holders())
		}
		a.cancel() // a clean stop releases
		if err := <-a.done; !errors.Is(err, context.Canceled) {
			t.Errorf("a stopped with %v", err)
		}
		if d := waitHolders(2, 2*time.Second); d > 400*time.Millisecond {
			t.Errorf("a released lease was taken over after %v", d)
		}
		// The holder loses its database: it stops watching; the other
		// takes over after the lease expires.
		var holder, other *inst
		ls, _ := ci.st.Leases(context.Background())
		if len(ls) == 1 && ls[0].Holder == "b" {
			holder, other = bi, ci
		} else {
			holder, other = ci, bi
		}
		holder.st.Close()
		waitHolders(3, 3*time.Second)
		other.cancel()
		<-other.done
		holder.cancel()
		<-holder.done
		if m := maxRunning.Load(); m != 1 {
			t.Errorf("%d watchers ran at once", m)
		}
		mu.Lock()
		defer mu.Unlock()
		for i := 1; i < len(gens); i++ {
			if gens[i] <= gens[i-1] {
				t.Errorf("generations %v do not grow", gens)
			}
		}
	})
}
