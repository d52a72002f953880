package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// reply applies an official's reply, or explains why it changed nothing.
func (a *applier) reply() error {
	ev := a.ev
	p, ok := a.env.Office.Person(ev.From)
	if !ok {
		// The caller authenticates senders; an unknown one is a wiring bug.
		return fmt.Errorf("%w: reply from unknown person %q", ErrBadEvent, ev.From)
	}
	if a.run.Seen[ev.MessageID] && ev.MessageID != "" {
		a.note("reply %s from %s was already applied; ignored", ev.MessageID, p.Name)
		return nil
	}
	switch ev.Command {
	case CmdStatus:
		a.send(TplStatus, ev.Step, p, nil, false, func(m *MailData) { m.Status = a.statusRows(); a.quote(m) }).InReplyTo = ev.MessageID
		a.note("status sent to %s", p.Name)
		return nil
	case CmdHelp:
		a.send(TplHelp, ev.Step, p, nil, false, func(m *MailData) {
			if s, _, ok := a.env.Current(a.run); ok {
				m.Commands = commandsFor(s)
			}
			a.quote(m)
		}).InReplyTo = ev.MessageID
		a.note("help sent to %s", p.Name)
		return nil
	}
	if a.changesIssuedMeeting(p) {
		if ev.Command == CmdUnclear {
			// A new date read from a reply whose intent is unclear
			// moves nothing.
			a.notice(p, WhyUnclear, clip(ev.Notes, 300))
			return nil
		}
		a.meetingChange()
		return nil
	}
	if a.run.Status != RunActive {
		a.notice(p, WhyFinished, "")
		return nil
	}
	s, st, _ := a.env.Current(a.run)
	if st.Status == StepPending && s.AfterMeeting {
		// The notulen step has not started: the meeting is still ahead.
		a.notice(p, WhyNotStarted, fmt.Sprint(s.Number), func(m *MailData) { m.Due = st.WaitUntil })
		return nil
	}
	if ev.Step != 0 && ev.Step != s.Number {
		a.notice(p, WhyNotCurrent, fmt.Sprint(s.Number))
		return nil
	}
	if ev.Step != 0 && ev.Round != 0 && ev.Round != st.Round {
		// The reply answers another round's mail of this step (a TOLAK of
		// the draft that was since revised): it must not act on this one.
		a.staleRound(p, s, st)
		return nil
	}
	if s.Kind == sop.KindCollect {
		a.collectReply(p, s, st)
		return nil
	}
	title, holds := a.env.Office.MayAct(p.Email, s.Role, ev.At)
	if !holds {
		a.notice(p, WhyWrongRole, a.roleName(s.Role))
		return nil
	}
	if s.Kind == sop.KindMeeting {
		a.meetingReply(p, s, st, title)
		return nil
	}
	by := p.Email
	switch {
	case ev.Command == CmdUnclear:
		a.unclear(p, s)
	case ev.Command == CmdNone:
		a.notice(p, WhyNoCommand, "")
	case s.Kind == sop.KindApproval && ev.Command == CmdApprove:
		a.keepNotes(s, "notes")
		if s.Produces != "" && len(ev.Attachments) > 0 {
			a.setDoc(s.Produces, s.Number, ev.Attachments)
		}
		a.receipt(p, "approved", title)
		a.complete(by, OutcomeApproved)
	case s.Kind == sop.KindApproval && ev.Command == CmdReject:
		a.run.Revisions++
		text := strings.TrimSpace(ev.Notes)
		if text == "" {
			text = "(tanpa catatan)"
		}
		a.run.Notes = append(a.run.Notes, Note{Step: s.Number, By: by, At: ev.At, Kind: "reject", Text: text})
		if s.Produces != "" && len(ev.Attachments) > 0 {
			a.setDoc(s.Produces, s.Number, ev.Attachments) // the reviewer's marked-up copy
		}
		a.receipt(p, "rejected", title)
		a.note("step %d rejected by %s (revision %d): %s", s.Number, p.Name, a.run.Revisions, text)
		a.sendBack(s.RejectTo)
	case s.Kind == sop.KindApproval:
		a.notice(p, WhyWrongCommand, "approval")
	case ev.Command == CmdDone || ev.Command == CmdApprove:
		if s.NeedsAttachment && len(ev.Attachments) == 0 {
			a.notice(p, WhyNoAttachment, "")
			return nil
		}
		a.keepNotes(s, "notes")
		if s.Produces != "" && len(ev.Attachments) > 0 {
			a.setDoc(s.Produces, s.Number, ev.Attachments)
		}
		if s.MeetingFields && !a.meetingFieldsOK(p, s) {
			return nil
		}
		a.receipt(p, "done", title)
		a.complete(by, OutcomeDone)
	default:
		a.notice(p, WhyWrongCommand, "task")
	}
	return nil
}

func (a *applier) keepNotes(s *sop.Step, kind string) {
	if t := strings.TrimSpace(a.ev.Notes); t != "" {
		a.run.Notes = append(a.run.Notes, Note{Step: s.Number, By: a.ev.From, At: a.ev.At, Kind: kind, Text: t})
	}
}

// meetingFieldsOK takes the meeting date a step-12 reply sets (or the
// slot offered after an impossible one), and refuses a time that cannot
// be used, offering the next possible one: the step stays open until the
// date is possible.
func (a *applier) meetingFieldsOK(p *sop.Person, s *sop.Step) bool {
	a.adoptProposal(p)
	if a.ev.Meeting == nil {
		return true
	}
	prev := a.run.Meeting
	var saved Meeting
	if prev != nil {
		saved = *prev
	}
	a.planMeeting(a.ev.Meeting)
	mt := a.run.Meeting
	if mt.Start.IsZero() {
		return true // only a place: the default date is always possible
	}
	prob, det, next := CheckMeeting(a.env, a.run, mt.Start, mt.Minutes, a.ev.At)
	if prob == "" {
		mt.Proposed, mt.ProposedTo, mt.ProposedStep, mt.ProposedPlace = time.Time{}, "", 0, ""
		return true
	}
	want := mt.Start
	if prev == nil {
		a.run.Meeting = &Meeting{}
	} else {
		*a.run.Meeting = saved
	}
	a.slotNotice(p, s.Number, prob, det, want, next)
	return false
}

// changesIssuedMeeting: a reply that sets a new date or place after the
// invitation went out, from someone who may set it, reschedules it (or
// confirms the slot offered after an impossible date).
func (a *applier) changesIssuedMeeting(p *sop.Person) bool {
	mt := a.run.Meeting
	if mt == nil || mt.Issued.IsZero() || !a.mayChangeMeeting(p.Email) {
		return false
	}
	// Only a reply to the meeting's own mail (or to step 12's, which set
	// it) moves it: a date in the notulen's SELESAI is not a new meeting.
	step := a.ev.Step
	d := a.def()
	s, _, known := d.Step(step)
	if !(step == 0 || step == a.meetingStep() || known && s.MeetingFields) {
		return false
	}
	return a.ev.Meeting != nil || a.adoptProposal(p)
}

func (a *applier) planMeeting(in *MeetingInput) {
	if a.run.Meeting == nil {
		a.run.Meeting = &Meeting{}
	}
	if !in.Start.IsZero() {
		st := in.Start
		if !in.HasTime {
			d := a.def()
			y, m, dd := st.In(a.env.Cal.Loc).Date()
			st = timeDate(y, int(m), dd, d.Meeting.DefaultTime, a.env)
		}
		a.run.Meeting.Start = st
	}
	if in.Place != "" {
		a.run.Meeting.Place = in.Place
	}
}

// collectReply takes a unit's hand-in, or the closing of the step.
func (a *applier) collectReply(p *sop.Person, s *sop.Step, st *StepState) {
	ev := a.ev
	unit, isHead := a.env.Office.HeadOf(p.Email, ev.At)
	closer := false
	if r, ok := a.env.Office.Role(s.Role); ok && r.Superior != "" {
		_, closer = a.env.Office.MayAct(p.Email, r.Superior, ev.At)
	}
	switch {
	case ev.Command == CmdUnclear && !isHead && !closer:
		a.notice(p, WhyNotUnitHead, "")
	case ev.Command == CmdUnclear:
		a.unclear(p, s)
	case ev.Command == CmdNone:
		a.notice(p, WhyNoCommand, "")
	case ev.Command != CmdDone:
		a.notice(p, WhyWrongCommand, "collect")
	case isHead && len(ev.Attachments) > 0:
		us := a.unit(unit)
		action := "submitted"
		if us.Submitted {
			action = "resubmitted"
		}
		sub := Submission{At: ev.At, By: p.Email, MessageID: ev.MessageID, Attachments: ev.Attachments}
		us.History = append(us.History, sub)
		us.Submitted, us.At, us.By, us.Notes = true, ev.At, p.Email, strings.TrimSpace(ev.Notes)
		us.Attachments = append([]Attachment(nil), ev.Attachments...)
		a.unitNote(s, a.unitName(unit))
		a.note("step %d: %s handed in for %s (%d file(s), version %d)", s.Number, p.Name, a.unitName(unit), len(ev.Attachments), len(us.History))
		missing := a.missing()
		a.receipt(p, action, "", func(m *MailData) { m.Unit = a.unitName(unit); m.Late = missing })
		if len(missing) == 0 {
			a.complete(p.Email, OutcomeDone)
		}
	case closer:
		missing := a.missing()
		a.keepNotes(s, "notes")
		a.note("step %d closed early by %s; missing: %s", s.Number, p.Name, strings.Join(missing, ", "))
		a.receipt(p, "closed", "", func(m *MailData) { m.Late = missing })
		a.complete(p.Email, OutcomeDone)
	case isHead:
		a.notice(p, WhyNoAttachment, a.unitName(unit))
	default:
		a.notice(p, WhyNotUnitHead, "")
	}
}

func (a *applier) unit(id string) *UnitState {
	for i := range a.run.Units {
		if a.run.Units[i].Unit == id {
			return &a.run.Units[i]
		}
	}
	a.run.Units = append(a.run.Units, UnitState{Unit: id})
	return &a.run.Units[len(a.run.Units)-1]
}

// missing names the units that have not handed in.
func (a *applier) missing() []string {
	var out []string
	for _, u := range a.run.Units {
		if !u.Submitted {
			out = append(out, a.unitName(u.Unit))
		}
	}
	return out
}

func (a *applier) quote(m *MailData) {
	m.ReplyDate = a.ev.At
}

// receipt tells the official what their reply did.
func (a *applier) receipt(p *sop.Person, action, acting string, fill ...func(*MailData)) {
	s, _, _ := a.env.Current(a.run)
	step := 0
	if s != nil {
		step = s.Number
	}
	m := a.send(TplReceipt, step, p, nil, true, func(m *MailData) {
		m.Action = action
		m.Acting = acting
		m.Notes = nil
		if t := strings.TrimSpace(a.ev.Notes); t != "" {
			m.Detail = t
		}
		m.Revision = a.run.Revisions
		m.Rejected = a.ev.Rejected
		a.quote(m)
		for _, f := range fill {
			f(m)
		}
	})
	m.InReplyTo = a.ev.MessageID
	// Receipts are sent after the state moved: tell them what comes next.
	a.pendingReceipt = m
}

// notice tells the official why their reply changed nothing. It goes to
// the person's configured address, never to an unverified From.
func (a *applier) notice(p *sop.Person, why, detail string, fill ...func(*MailData)) {
	step := a.ev.Step
	m := a.send(TplNotice, step, p, nil, true, func(m *MailData) {
		m.Reason, m.Detail = why, detail
		m.Rejected = a.ev.Rejected
		if s, _, ok := a.env.Current(a.run); ok && a.run.Status == RunActive {
			ns := a.stepInfo(s)
			m.NextStep = &ns
			m.Commands = commandsFor(s)
		}
		a.quote(m)
		for _, f := range fill {
			f(m)
		}
	})
	m.InReplyTo = a.ev.MessageID
	a.note("reply from %s not applied: %s", p.Name, strings.TrimSpace(why+" "+detail))
}

// refused tells the real assignees of the step that a reply in their name
// came from an address that could not be trusted. The sender itself is
// never answered (no backscatter).
func (a *applier) refused() {
	ev := a.ev
	if ev.MessageID != "" && a.run.Seen[ev.MessageID] {
		a.note("refused reply %s from %s seen before; ignored", ev.MessageID, ev.From)
		return
	}
	if a.run.Status != RunActive {
		a.note("reply from %s refused (%s)", ev.From, ev.Reason)
		return
	}
	s, _, ok := a.env.Current(a.run)
	if !ok {
		return
	}
	if !a.allow(map[string]int{
		fmt.Sprintf("refused|%d|%s", s.Number, strings.ToLower(ev.From)): refusedPerSender,
		fmt.Sprintf("refused|%d", s.Number):                              refusedPerStep,
	}) {
		a.note("reply from %s refused (%s); the assignee was already told within 24 hours", ev.From, ev.Reason)
		return
	}
	a.note("reply from %s refused (%s); the assignee is told", ev.From, ev.Reason)
	var to []sop.Holder
	if s.Kind == sop.KindCollect {
		to = a.coordinators()
	} else {
		to = a.env.Office.Holders(s.Role, ev.At)
	}
	for _, h := range to {
		a.send(TplNotice, s.Number, h.Person, &h, true, func(m *MailData) {
			m.Reason, m.Detail = WhyUnverified, ev.From
			m.FailedReason = ev.Reason
			ns := a.stepInfo(s)
			m.NextStep = &ns
			m.Commands = commandsFor(s)
			a.quote(m)
		})
	}
}
