package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestInstancesShareTheTicks: three engines on one store (three instances)
// tick the same due deadlines at once. Each deadline is ticked by one of
// them: the store ends as one engine alone leaves it, tick for tick.
func TestInstancesShareTheTicks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		const runs = 12
		env := lakipEnv(t)
		start := time.Date(2024, 6, 3, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600))
		later := start.Add(30 * 24 * time.Hour) // every first deadline is due
		ticks := func(instances int) (events, reported int) {
			loc := b.Fresh(t)
			var engs []*engine.Engine
			for range instances {
				st, err := store.Open(loc, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				e := engine.New(st, env, nil)
				e.Now = func() time.Time { return later }
				engs = append(engs, e)
			}
			ctx := context.Background()
			engs[0].Now = func() time.Time { return start }
			for i := range runs {
				tok := tokenize(fmt.Sprintf("r%04dxxxxxxxxxxxxxxx", i))
				ev := flow.Event{Type: flow.EvStart, At: start, RunID: tok[:10], Token: tok, SOP: "lakip", Title: "LAKIP",
					From: "kepala@dinsospmd.bangkatengahkab.go.id"}
				if _, err := engs[0].Handle(ctx, ev, nil); err != nil {
					t.Fatal(err)
				}
			}
			engs[0].Now = func() time.Time { return later }
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, e := range engs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := e.Tick(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					reported += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			engs[0].Store.View(ctx, func(tx *store.Tx) error {
				for i := range runs {
					evs, err := tx.Events(tokenize(fmt.Sprintf("r%04dxxxxx", i)))
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range evs {
						if e.Type == string(flow.EvTick) {
							events++
						}
					}
				}
				return nil
			})
			return events, reported
		}
		alone, _ := ticks(1)
		shared, reported := ticks(3)
		if alone < runs {
			t.Fatalf("one engine applied %d ticks to %d runs with due deadlines", alone, runs)
		}
		if shared != alone || reported != shared {
			t.Errorf("three engines applied %d ticks (reported %d); one alone applies %d", shared, reported, alone)
		}
	})
}

// TestInstancesSerialiseOnARun: two engines on one store (two instances)
// apply events to the same run at once. They serialise on the run's row:
// every event is applied once, the log has no gap, and the stored state is
// the replay of the log.
func TestInstancesSerialiseOnARun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		loc := b.Fresh(t)
		env := lakipEnv(t)
		var engs []*engine.Engine
		for range 2 {
			st, err := store.Open(loc, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			engs = append(engs, engine.New(st, env, nil))
		}
		ctx := context.Background()
		start, _ := streamEvent(1)
		engs[0].Now = func() time.Time { return start.At }
		engs[1].Now = engs[0].Now
		if _, err := engs[0].Handle(ctx, start, nil); err != nil {
			t.Fatal(err)
		}
		const each = 15
		var wg sync.WaitGroup
		for i, e := range engs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range each {
					ev := flow.Event{Type: flow.EvReply, At: start.At.Add(time.Minute), RunID: start.RunID, From: "sekretaris@dinsospmd.bangkatengahkab.go.id",
						Command: flow.CmdStatus, MessageID: fmt.Sprintf("s%d-%d@test", i, k)}
					if _, err := e.Handle(ctx, ev, nil); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		engs[1].Store.View(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(start.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1+2*each {
				t.Errorf("%d events logged, want %d", len(evs), 1+2*each)
			}
			var r *flow.Run
			for i, e := range evs {
				if e.Seq != int64(i+1) {
					t.Fatalf("event %d has seq %d", i, e.Seq)
				}
				if r, _, err = flow.Apply(env, r, e.Event); err != nil {
					t.Fatal(err)
				}
			}
			stored, _ := tx.LoadRun(start.RunID)
			if stored.Seq != r.Seq || stored.Seq != int64(len(evs)) {
				t.Errorf("stored run at seq %d, the log replays to %d", stored.Seq, r.Seq)
			}
			return nil
		})
	})
}
