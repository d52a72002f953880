package flow

import (
	"fmt"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// manual applies a step marked done on paper by an operator. It goes the
// same way as a reply (persist, then act) but needs a reason, and the
// record says that it was done outside mail and by whose hand.
func (a *applier) manual() error {
	ev := a.ev
	reason := strings.TrimSpace(ev.Notes)
	if reason == "" {
		return fmt.Errorf("%w: marking a step done on paper needs a reason", ErrBadEvent)
	}
	if ev.From == "" {
		return fmt.Errorf("%w: marking a step done on paper needs the operator's name", ErrBadEvent)
	}
	if a.run.Status != RunActive {
		return fmt.Errorf("%w: run %s is %s", ErrBadEvent, a.run.ID, a.run.Status)
	}
	s, st, ok := a.env.Current(a.run)
	if !ok {
		return fmt.Errorf("%w: run %s has no current step", ErrBadEvent, a.run.ID)
	}
	if ev.Step != 0 && ev.Step != s.Number {
		return fmt.Errorf("%w: step %d is not current (step %d is)", ErrBadEvent, ev.Step, s.Number)
	}
	if !st.WaitUntil.IsZero() {
		return fmt.Errorf("%w: step %d has not started yet (it starts %s)", ErrBadEvent, s.Number, st.WaitUntil.In(a.env.Cal.Loc).Format("2006-01-02 15:04"))
	}
	a.run.Notes = append(a.run.Notes, Note{Step: s.Number, By: ev.From, At: ev.At, Kind: "manual", Text: clip(reason, 500)})
	a.note("step %d marked done on paper by %s: %s", s.Number, ev.From, clip(reason, 200))
	if s.Kind == sop.KindMeeting {
		a.sendInvitations(s, ev.From, OutcomeManual)
		return nil
	}
	a.complete(ev.From, OutcomeManual)
	return nil
}

// outboxAction records an operator's action on one of the run's mails.
func (a *applier) outboxAction() error {
	ev := a.ev
	if ev.From == "" || ev.FailedID == "" || (ev.Reason != "retry" && ev.Reason != "cancel") {
		return fmt.Errorf("%w: an outbox action needs the operator, the mail's Message-ID and retry or cancel", ErrBadEvent)
	}
	what := map[string]string{"retry": "sent again now", "cancel": "cancelled (never sent)"}[ev.Reason]
	a.note("mail %s (step %d) %s by %s", ev.FailedID, ev.Step, what, ev.From)
	return nil
}
