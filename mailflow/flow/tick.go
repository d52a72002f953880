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
	if a.wake() {
		return
	}
	s, st, ok := a.env.Current(a.run)
	if !ok || st.Status != StepActive {
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

// schedule computes the run's next wake-up and emits it when it changed.
func (a *applier) schedule() {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if a.run.Status == RunActive {
		if _, st, ok := a.env.Current(a.run); ok && st.Status == StepActive {
			if st.Reminders < a.env.Office.Max {
				consider(st.NextReminder)
			}
			consider(st.NextEscalation)
		} else if ok && st.Status == StepPending {
			consider(st.WaitUntil)
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
		for _, rt := range st.Rounds {
			row.Rounds = append(row.Rounds, RoundRow{Round: rt.Round, Minutes: rt.WorkMinutes, Over: !st.Outside && rt.WorkMinutes > row.Limit, Outcome: rt.Outcome})
		}
		if st.Status == StepActive {
			cur := env.Cal.WorkingMinutes(st.StartedAt, now)
			row.Actual += cur
			row.Overdue = !st.DueAt.IsZero() && now.After(st.DueAt)
			row.Rounds = append(row.Rounds, RoundRow{Round: st.Round, Minutes: cur, Over: cur > row.Limit})
		}
		row.Outside, row.Waits = st.Outside, st.WaitUntil
		if s.Kind == sop.KindCollect && st.Status != StepPending {
			row.Units = Collection(env, r, now)
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
