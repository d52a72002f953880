package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func lakipEnv(t testing.TB) flow.Env {
	c, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	return flow.Env{Office: &c.Office, Cal: &c.Calendar}
}

func newEngine(t testing.TB) *engine.Engine {
	st, err := store.Open(storetest.For(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return engine.New(st, lakipEnv(t), nil)
}

func TestDuplicateInboundNotApplied(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		eng := newEngine(t)
		ctx := context.Background()
		ev, in := streamEvent(1)
		eng.Now = func() time.Time { return ev.At }
		if _, err := eng.Handle(ctx, ev, &in); err != nil {
			t.Fatal(err)
		}
		// Same UID again.
		if _, err := eng.Handle(ctx, ev, &in); !engine.IsDuplicate(err) {
			t.Fatalf("same UID: err = %v, want duplicate", err)
		}
		// Same Message-ID under another UID (delivered twice, or after a
		// UIDVALIDITY change).
		ev2, in2 := streamEvent(2)
		in2.MessageID = in.MessageID
		if _, err := eng.Handle(ctx, ev2, &in2); !engine.IsDuplicate(err) {
			t.Fatalf("same Message-ID: err = %v, want duplicate", err)
		}
	})
}

// A receipt answers a person: it goes at once, even on a Friday evening.
// Only mail nobody asked for (reminders, escalations, summaries) waits for
// working hours (see flow.Mail.WaitsForHours).
func TestAnswersGoAtOnceAtNight(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		eng := newEngine(t)
		ctx := context.Background()
		ev, in := streamEvent(1)
		eng.Now = func() time.Time { return ev.At }
		eng.Handle(ctx, ev, &in)
		// A reply on Friday evening: the receipt and the next step's
		// assignment go at once.
		fri := time.Date(2024, 6, 7, 19, 0, 0, 0, eng.Env.Cal.Loc)
		eng.Now = func() time.Time { return fri }
		ev2, in2 := streamEvent(2)
		ev2.At = fri
		if _, err := eng.Handle(ctx, ev2, &in2); err != nil {
			t.Fatal(err)
		}
		var rows []store.OutboxRow
		eng.Store.View(ctx, func(tx *store.Tx) error { rows, _ = tx.Outbox(""); return nil })
		mon := time.Date(2024, 6, 10, 7, 30, 0, 0, eng.Env.Cal.Loc)
		seen := 0
		for _, r := range rows {
			switch r.Template {
			case flow.TplReceipt:
				seen++
				if !r.NextAttempt.Equal(fri) || !r.Mail.Automatic || r.NextAttempt.Equal(mon) {
					t.Errorf("receipt due %s, want at once (%s), marked automatic", r.NextAttempt, fri)
				}
			case flow.TplTask:
				if r.Step == 3 {
					seen++
					if !r.NextAttempt.Equal(fri) {
						t.Errorf("assignment due %s, want now (%s)", r.NextAttempt, fri)
					}
				}
			}
		}
		if seen != 2 {
			t.Fatalf("want a receipt and the step 3 assignment, got %d of them", seen)
		}
	})
}

func TestTickWakesOnlyDueRuns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		eng := newEngine(t)
		ctx := context.Background()
		for i := 1; i <= 41; i += 20 {
			ev, in := streamEvent(i)
			eng.Now = func() time.Time { return ev.At }
			if _, err := eng.Handle(ctx, ev, &in); err != nil {
				t.Fatal(err)
			}
		}
		// Both runs' step 2 is due 10 working minutes after their start.
		eng.Now = func() time.Time { return time.Date(2024, 6, 3, 8, 15, 0, 0, eng.Env.Cal.Loc) }
		n, err := eng.Tick(ctx)
		if err != nil || n != 1 {
			t.Fatalf("tick woke %d runs (err %v), want 1", n, err)
		}
		eng.Now = func() time.Time { return time.Date(2024, 6, 3, 8, 15, 0, 0, eng.Env.Cal.Loc) }
		if n, _ := eng.Tick(ctx); n != 0 {
			t.Fatalf("second tick at the same time woke %d runs", n)
		}
	})
}
