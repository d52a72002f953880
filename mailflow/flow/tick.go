package flow

import (
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

func timeDate(y, m, d, minutes int, env Env) time.Time {
	return time.Date(y, time.Month(m), d, 0, minutes, 0, 0, env.Cal.Loc)
}

// tick chases late officials: a reminder at the deadline and every
// interval after (at most Max), and an escalation one grace period after
// the deadline, then up the chain of superiors.
func (a *applier) tick() {
	now := a.ev.At
	if mt := a.run.Meeting; mt != nil && !mt.Cancelled && !mt.SummarySent && !mt.SummaryAt.IsZero() && !now.Before(mt.SummaryAt) {
		a.attendanceSummary()
	}
	if a.run.Status != RunActive {
		return
	}
	s, st, ok := a.env.Current(a.run)
	if !ok || s.Kind == sop.KindMeeting {
		return
	}
	late := a.late(s, st)
	if len(late) == 0 {
		return
	}
	if st.Reminders < a.env.Office.Max && !now.Before(st.NextReminder) {
		st.Reminders++
		st.NextReminder = a.env.Cal.Add(now, a.env.Office.Interval)
		for _, h := range late {
			a.send(TplReminder, s.Number, h.Person, &h, true, func(m *MailData) {
				a.fillAssignment(m, s, st)
				m.ReminderNo = st.Reminders
				m.Overdue = workcal.Durasi(a.env.Cal.WorkingMinutes(st.DueAt, now), a.env.Cal.MinutesPerDay())
				if s.Kind == sop.KindCollect {
					if u, ok := a.env.Office.HeadOf(h.Person.Email, now); ok {
						m.Unit = a.unitName(u)
					}
				}
			}).Attachments = a.inputs(s)
		}
		a.note("step %d: reminder %d sent to %d late official(s)", s.Number, st.Reminders, len(late))
	}
	if !now.Before(st.NextEscalation) {
		role := s.Role
		for i := 0; i <= st.Escalations; i++ {
			r, ok := a.env.Office.Role(role)
			if !ok || r.Superior == "" {
				role = ""
				break
			}
			role = r.Superior
		}
		if role == "" {
			st.NextEscalation = time.Time{} // the top of the chain was told
			return
		}
		st.Escalations++
		st.NextEscalation = a.env.Cal.Add(now, a.env.Office.EscalateAfter)
		var names, emails []string
		for _, h := range late {
			n := h.Person.Name
			if s.Kind == sop.KindCollect {
				if u, ok := a.env.Office.HeadOf(h.Person.Email, now); ok {
					n += " (" + a.unitName(u) + ")"
				}
			}
			names = append(names, n)
			emails = append(emails, h.Person.Email)
		}
		a.effects = append(a.effects, Effect{Type: EffEscalate, Escalate: &Escalation{Step: s.Number, Role: role, Level: st.Escalations, Late: emails}})
		for _, h := range a.env.Office.Holders(role, now) {
			a.send(TplEscalation, s.Number, h.Person, &h, true, func(m *MailData) {
				a.fillAssignment(m, s, st)
				m.Late = names
				m.Overdue = workcal.Durasi(a.env.Cal.WorkingMinutes(st.DueAt, now), a.env.Cal.MinutesPerDay())
				if s.Kind == sop.KindCollect {
					m.Collection = a.collection()
				}
			})
		}
		a.note("step %d: escalated to %s (level %d): %s late", s.Number, a.roleName(role), st.Escalations, strings.Join(names, ", "))
	}
}

// late returns who still owes the current step.
func (a *applier) late(s *sop.Step, st *StepState) []sop.Holder {
	now := a.ev.At
	if s.Kind == sop.KindCollect {
		var out []sop.Holder
		for _, u := range a.run.Units {
			if u.Submitted {
				continue
			}
			if h, ok := a.env.Office.UnitHead(u.Unit, now); ok {
				out = append(out, h)
			}
		}
		return out
	}
	return a.env.Office.Holders(s.Role, now)
}

func (a *applier) attendanceSummary() {
	mt := a.run.Meeting
	mt.SummarySent = true
	d := a.def()
	role := d.Steps[len(d.Steps)-1].Role
	for _, h := range a.env.Office.Holders(role, a.ev.At) {
		a.send(TplAttendance, d.Steps[len(d.Steps)-1].Number, h.Person, &h, true, func(m *MailData) {
			m.Meeting = a.meetingInfo()
		})
	}
	a.note("attendance summary sent for the meeting of %s", mt.Start.Format("2006-01-02 15:04"))
}

// schedule computes the run's next wake-up and emits it when it changed.
func (a *applier) schedule() {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if a.run.Status == RunActive {
		if s, st, ok := a.env.Current(a.run); ok && s.Kind != sop.KindMeeting && st.Status == StepActive {
			if st.Reminders < a.env.Office.Max {
				consider(st.NextReminder)
			}
			consider(st.NextEscalation)
		}
	}
	if mt := a.run.Meeting; mt != nil && !mt.Cancelled && !mt.SummarySent {
		consider(mt.SummaryAt)
	}
	if !next.Equal(a.run.Wake) {
		a.run.Wake = next
		a.effects = append(a.effects, Effect{Type: EffDeadline, Deadline: next})
	}
}

func (a *applier) deliveryFailed() {
	ev := a.ev
	a.run.Failures = append(a.run.Failures, Failure{MessageID: ev.FailedID, Recipient: ev.Recipient, Reason: ev.Reason, At: ev.At})
	a.note("delivery to %s failed (%s): %s", ev.Recipient, ev.FailedID, ev.Reason)
	if strings.Contains(ev.Reason, "[alert]") {
		return // an alert about an alert would loop
	}
	// The admin and the SOP's coordinator (the collect role's superior,
	// Kasubag Perencanaan in LAKIP) are told.
	var to []sop.Holder
	if p, ok := a.env.Office.Person(a.env.Office.Admin); ok {
		to = append(to, sop.Holder{Person: p})
	} else if a.env.Office.Admin != "" {
		to = append(to, sop.Holder{Person: &sop.Person{Email: a.env.Office.Admin, Name: "Admin mailflow", Salutation: "Bapak/Ibu"}})
	}
	to = append(to, a.coordinators()...)
	seen := map[string]bool{}
	for _, h := range to {
		if seen[h.Person.Email] || h.Person.Email == ev.Recipient {
			continue
		}
		seen[h.Person.Email] = true
		a.send(TplAlert, ev.Step, h.Person, &h, false, func(m *MailData) {
			m.FailedTo, m.FailedReason, m.FailedID = ev.Recipient, ev.Reason, ev.FailedID
			m.Late = []string{a.name(ev.Recipient)}
		})
	}
}

// coordinators hold the role that runs the SOP day to day: the superior of
// the collect step's role, else the last step's role.
func (a *applier) coordinators() []sop.Holder {
	d := a.def()
	role := d.Steps[len(d.Steps)-1].Role
	for _, s := range d.Steps {
		if s.Kind == sop.KindCollect {
			if r, ok := a.env.Office.Role(s.Role); ok && r.Superior != "" {
				role = r.Superior
			}
		}
	}
	return a.env.Office.Holders(role, a.ev.At)
}

func (a *applier) calendarReply() {
	ev := a.ev
	mt := a.run.Meeting
	if mt == nil {
		a.note("calendar reply from %s ignored: the run has no meeting", ev.From)
		return
	}
	ps := strings.ToUpper(strings.TrimSpace(ev.PartStat))
	if ps == "" {
		a.note("calendar reply from %s ignored: no answer in it", ev.From)
		return
	}
	if ev.TextRSVP && ev.Round != 0 && ev.Step != 0 && ev.Step == a.meetingStep() && ev.Round != a.roundOf(ev.Step) {
		// Written to an invitation since rescheduled or cancelled. (An
		// iTIP REPLY is judged by its SEQUENCE, RFC 5546 §2.1.5, by the
		// caller.)
		a.staleRSVP()
		return
	}
	for i := range mt.Attendees {
		at := &mt.Attendees[i]
		if !strings.EqualFold(at.Email, ev.From) {
			continue
		}
		at.PartStat, at.Delegate, at.At = ps, "", ev.At
		if ps == "DELEGATED" {
			at.Delegate = clip(ev.Delegate, 80)
		}
		if at.Delegate != "" {
			a.note("%s answered the invitation: %s (%s)", at.Name, ps, at.Delegate)
		} else {
			a.note("%s answered the invitation: %s", at.Name, ps)
		}
		if ev.TextRSVP && !mt.Cancelled {
			a.rsvpReceipt(*at)
		}
		return
	}
	a.note("calendar reply from %s ignored: not an attendee", ev.From)
}

func (a *applier) meetingStep() int {
	d := a.def()
	return d.Steps[len(d.Steps)-1].Number
}

// staleRSVP tells the writer that the answer was for an earlier issue of
// the invitation, and names the latest one.
func (a *applier) staleRSVP() {
	ev, mt := a.ev, a.run.Meeting
	a.note("written answer from %s to an earlier invitation (round %d) ignored", ev.From, ev.Round)
	p, ok := a.env.Office.Person(ev.From)
	if !ok {
		return
	}
	d := a.def()
	s := &d.Steps[len(d.Steps)-1]
	tpl := TplInvitation
	if mt.Cancelled {
		tpl = TplCancel
	}
	a.notice(p, WhyStaleRound, "", func(m *MailData) {
		m.Meeting = a.meetingInfo()
		m.Latest = &LatestMail{Template: tpl, Step: a.stepInfo(s), Round: a.roundOf(s.Number), SentAt: mt.Issued}
	})
}

// rsvpReceipt confirms a plain-text answer to the invitation: the official
// wrote words, and should see how we read them.
func (a *applier) rsvpReceipt(at Attendee) {
	p, ok := a.env.Office.Person(at.Email)
	if !ok {
		p = &sop.Person{Email: at.Email, Name: at.Name, Salutation: "Bapak/Ibu"}
	}
	d := a.def()
	m := a.send(TplReceipt, d.Steps[len(d.Steps)-1].Number, p, nil, true, func(m *MailData) {
		m.Action = "rsvp"
		m.RSVP = &at
		m.Meeting = a.meetingInfo()
		a.quote(m)
	})
	m.InReplyTo = a.ev.MessageID
}

func (a *applier) mayChangeMeeting(email string) bool {
	d := a.def()
	for _, s := range d.Steps {
		if s.MeetingFields || s.Kind == sop.KindMeeting {
			if _, ok := a.env.Office.MayAct(email, s.Role, a.ev.At); ok {
				return true
			}
		}
	}
	return email == "admin"
}

// meetingChange reschedules or cancels the meeting: RFC 5546 §3.2.2 REQUEST
// with a higher SEQUENCE, or §3.2.5 CANCEL.
func (a *applier) meetingChange() {
	ev := a.ev
	mt := a.run.Meeting
	if mt == nil || mt.Cancelled {
		a.note("meeting change ignored: no meeting to change")
		return
	}
	d := a.def()
	step := d.Steps[len(d.Steps)-1].Number
	mt.Sequence++
	// A new issue of the invitation is a new round of its step: answers
	// written to an older issue no longer count (see calendarReply).
	a.run.Steps[len(a.run.Steps)-1].Round++
	if ev.Cancel {
		mt.Cancelled = true
		a.invite("CANCEL", step)
		a.note("meeting cancelled by %s", a.name(ev.From))
		return
	}
	if ev.Meeting != nil {
		a.planMeeting(ev.Meeting)
	}
	for i := range mt.Attendees {
		mt.Attendees[i].PartStat, mt.Attendees[i].At = "NEEDS-ACTION", time.Time{}
	}
	mt.SummaryAt, mt.SummarySent = a.env.Cal.PrevWorkingDay(mt.Start), false
	a.invite("REQUEST", step)
	a.note("meeting rescheduled by %s to %s at %s (sequence %d)", a.name(ev.From), mt.Start.Format("2006-01-02 15:04"), mt.Place, mt.Sequence)
}

// statusRows is the run's status table.
func (a *applier) statusRows() []StatusRow { return StatusRows(a.env, a.run, a.ev.At) }

// StatusRows builds the status table of a run at now: step, who, since,
// due, overdue; with the actual working time against the Mutu Baku.
func StatusRows(env Env, r *Run, now time.Time) []StatusRow {
	d, ok := env.SOPDef(r)
	if !ok {
		return nil
	}
	var rows []StatusRow
	for i, s := range d.Steps {
		if i >= len(r.Steps) {
			break
		}
		st := r.Steps[i]
		row := StatusRow{Number: s.Number, Kegiatan: s.Kegiatan, Status: st.Status, Since: st.StartedAt, Due: st.DueAt,
			Done: st.DoneAt, Waktu: s.Waktu.String(), Actual: st.WorkMinutes, Limit: limitMinutes(env, s.Waktu)}
		var who []string
		if s.Kind == sop.KindCollect {
			for _, u := range r.Units {
				if !u.Submitted && st.Status == StepActive {
					if h, ok := env.Office.UnitHead(u.Unit, now); ok {
						who = append(who, h.Person.Name)
					}
				}
			}
		} else {
			for _, e := range st.Assignees {
				if p, ok := env.Office.Person(e); ok {
					who = append(who, p.Name)
				}
			}
		}
		if st.Status == StepDone && st.DoneBy != "" {
			who = []string{st.DoneBy}
			if p, ok := env.Office.Person(st.DoneBy); ok {
				who = []string{p.Name}
			}
		}
		if len(who) == 0 {
			if rr, ok := env.Office.Role(s.Role); ok {
				who = []string{rr.Name}
			}
		}
		row.Who = strings.Join(who, ", ")
		if st.Status == StepActive {
			row.Actual += env.Cal.WorkingMinutes(st.StartedAt, now)
			row.Overdue = !st.DueAt.IsZero() && now.After(st.DueAt)
		}
		rows = append(rows, row)
	}
	return rows
}

func limitMinutes(env Env, w sop.Waktu) int {
	switch w.Unit {
	case sop.Minute:
		return w.N
	default:
		return dayCount(w, env) * env.Cal.MinutesPerDay()
	}
}
