package report

import (
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// rounds is a step's passes with their working time: the finished rounds
// the flow keeps (flow.StepState.Rounds), then the open one, measured up to
// now. A run stored before rounds were kept shows its total as one round.
func rounds(env flow.Env, st flow.StepState, limit int, now time.Time) []Round {
	if st.Outside || (st.Status == flow.StepPending && st.StartedAt.IsZero() && len(st.Rounds) == 0) {
		return nil
	}
	var out []Round
	for _, r := range st.Rounds {
		out = append(out, Round{N: r.Round, StartedAt: r.StartedAt, DoneAt: r.DoneAt, WorkMinutes: r.WorkMinutes,
			Within: r.WorkMinutes <= limit, By: r.By, Outcome: r.Outcome, MessageID: r.MessageID})
	}
	switch {
	case st.Status == flow.StepActive && !st.StartedAt.IsZero():
		r := Round{N: max(st.Round, len(out)+1), StartedAt: st.StartedAt}
		if st.WaitUntil.IsZero() || now.After(st.WaitUntil) {
			r.WorkMinutes = env.Cal.WorkingMinutes(st.StartedAt, now)
		}
		r.Within = r.WorkMinutes <= limit
		out = append(out, r)
	case len(out) == 0 && st.Status == flow.StepDone:
		r := Round{N: max(st.Round, 1), StartedAt: st.StartedAt, DoneAt: st.DoneAt, WorkMinutes: st.WorkMinutes, By: st.DoneBy}
		r.Within = r.WorkMinutes <= limit
		out = append(out, r)
	}
	return out
}

// outcomeText is how a round ended, in the form's words.
func outcomeText(o string) string {
	switch o {
	case flow.OutcomeDone:
		return "selesai"
	case flow.OutcomeApproved:
		return "disetujui"
	case flow.OutcomeRejected:
		return "ditolak, kembali ke langkah sebelumnya"
	case flow.OutcomeManual:
		return "ditandai selesai di atas kertas"
	case flow.OutcomeSent:
		return "undangan dikirim"
	}
	return o
}
