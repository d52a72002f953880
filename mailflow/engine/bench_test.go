package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// BenchmarkApplyEvent measures one event applied end to end: load the run,
// flow.Apply, and the SQLite commit of state, event, outbox and marker.
func BenchmarkApplyEvent(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		b.Run("synchronous="+sync, func(b *testing.B) {
			st, err := store.Open(filepath.Join(b.TempDir(), "b.db"), store.Options{Synchronous: sync})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			eng := engine.New(st, lakipEnv(b), nil)
			ctx := context.Background()
			b.ResetTimer()
			for i := 1; i <= b.N; i++ {
				ev, in := streamEvent(i)
				eng.Now = func() time.Time { return ev.At }
				if _, err := eng.Handle(ctx, ev, &in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkTick compares a tick with 1,000 and 10,000 open runs when the
// same 10 runs are due: the cost must follow the due runs, not the open ones.
func BenchmarkTick(b *testing.B) {
	for _, open := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("open=%d/due=10", open), func(b *testing.B) {
			st, err := store.Open(filepath.Join(b.TempDir(), "t.db"), store.Options{Synchronous: "NORMAL"})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			eng := engine.New(st, lakipEnv(b), nil)
			ctx := context.Background()
			loc := eng.Env.Cal.Loc
			// Open runs started on Monday mornings: their step 2 is due ten
			// working minutes later. 10 start earlier than the rest.
			base := time.Date(2024, 6, 3, 8, 0, 0, 0, loc)
			for i := 0; i < open; i++ {
				start := base.Add(time.Hour)
				if i < 10 {
					start = base
				}
				tok := tokenize(fmt.Sprintf("b%07dxxxxxxxxxxxx", i))
				eng.Now = func() time.Time { return start }
				if _, err := eng.Handle(ctx, flow.Event{Type: flow.EvStart, At: start, RunID: tok[:10], Token: tok, SOP: "lakip", Title: "x", From: "admin"}, nil); err != nil {
					b.Fatal(err)
				}
			}
			// Snapshot: each iteration ticks the same 10 due runs in a
			// transaction that is rolled back, so the state never moves.
			now := base.Add(30 * time.Minute)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				err := st.Update(ctx, func(tx *store.Tx) error {
					ids, err := tx.DueRuns(now, 256)
					if err != nil {
						return err
					}
					if len(ids) != 10 {
						b.Fatalf("due runs: %d, want 10", len(ids))
					}
					for _, id := range ids {
						if _, err := eng.HandleTx(tx, flow.Event{Type: flow.EvTick, At: now, RunID: id}, nil); err != nil {
							return err
						}
					}
					return errRollback
				})
				if err != errRollback {
					b.Fatal(err)
				}
			}
		})
	}
}

var errRollback = fmt.Errorf("rollback")
