package metrics

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// BenchmarkScrape: one /metrics gather with 1,000 open runs (each run's
// state is read for the overdue count).
func BenchmarkScrape(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "m.db"), store.Options{Synchronous: "NORMAL"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)
	st.Update(context.Background(), func(tx *store.Tx) error {
		for i := range 1000 {
			steps := make([]flow.StepState, 11)
			for j := range steps {
				steps[j] = flow.StepState{Number: j + 1, Status: flow.StepDone, Rounds: []flow.RoundTime{{Round: 1, WorkMinutes: 10}}}
			}
			steps[5].Status, steps[5].DueAt = flow.StepActive, t0.Add(time.Duration(i)*time.Minute)
			r := &flow.Run{ID: fmt.Sprintf("r%04d", i), Token: fmt.Sprintf("t%04d", i), SOP: "lakip", Status: flow.RunActive, Steps: steps}
			if err := tx.SaveRun(r, t0); err != nil {
				return err
			}
		}
		return nil
	})
	m := New(st, flow.Env{}, "bench", func() time.Time { return t0.Add(500 * time.Minute) })
	for b.Loop() {
		if _, err := m.Registry.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
