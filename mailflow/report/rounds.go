package report

import (
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// rounds is a step's passes with their working time. Until the flow keeps
// each round (flow.StepState.Rounds), the step's total is one round.
func rounds(env flow.Env, st flow.StepState, limit int, now time.Time) []Round {
	if st.Status == flow.StepPending && st.StartedAt.IsZero() {
		return nil
	}
	r := Round{N: max(st.Round, 1), StartedAt: st.StartedAt, DoneAt: st.DoneAt, WorkMinutes: st.WorkMinutes, By: st.DoneBy}
	if st.Status == flow.StepActive {
		r.DoneAt = time.Time{}
		r.WorkMinutes += env.Cal.WorkingMinutes(st.StartedAt, now)
	}
	r.Within = r.WorkMinutes <= limit
	return []Round{r}
}
