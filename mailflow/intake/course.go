package intake

import (
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// atMeetingStep reports whether step is run's meeting step.
func (in *Intake) atMeetingStep(run *flow.Run, step int) bool {
	d, ok := in.office().SOP(run.SOP)
	if !ok {
		return false
	}
	s, _, ok := d.Step(step)
	return ok && s.Kind == sop.KindMeeting
}

// dispositionText is the Kepala Dinas's instruction in a disposition: the
// notes after a command if the grammar found one, else the new text he
// wrote. It reaches the Sekretaris with step 2, with or without a PDF.
func dispositionText(p *reply.Parsed) string {
	if t := strings.TrimSpace(p.Notes); t != "" {
		return t
	}
	return strings.TrimSpace(p.Text)
}

// calendarToken is the run token in one of our meeting UIDs:
// "<token>@<domain>", or "<token>-<n>@<domain>" for a meeting scheduled
// anew after a cancellation.
func calendarToken(uid string) string {
	tok, _, _ := strings.Cut(uid, "@")
	tok, _, _ = strings.Cut(tok, "-")
	return strings.ToLower(tok)
}
