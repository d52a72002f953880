package flow

import (
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// commandsFor lists what a reply may say at a step, as officials write it.
func commandsFor(s *sop.Step) []string {
	switch s.Kind {
	case sop.KindApproval:
		return []string{"SETUJU", "TOLAK <alasan>", "STATUS", "BANTUAN"}
	case sop.KindCollect:
		return []string{"SELESAI (dengan lampiran)", "STATUS", "BANTUAN"}
	case sop.KindMeeting:
		return []string{"KIRIM (atau SETUJU)", "Tanggal: … / Pukul: … / Tempat: …", "STATUS", "BANTUAN"}
	}
	if s.NeedsAttachment {
		return []string{"SELESAI (dengan lampiran)", "STATUS", "BANTUAN"}
	}
	return []string{"SELESAI", "STATUS", "BANTUAN"}
}

func templateFor(s *sop.Step) string {
	if s.Template != "" {
		return s.Template
	}
	switch {
	case s.Kind == sop.KindMeeting:
		return TplSend
	case s.AfterMeeting:
		return TplNotulen
	case s.Report:
		return TplReport
	case s.Kind == sop.KindApproval:
		return TplApproval
	case s.Kind == sop.KindCollect:
		return TplCollect
	}
	return TplTask
}

// enter makes step i current and sends its assignments (an after-meeting
// step waits for the meeting's end first).
func (a *applier) enter(i int) {
	d := a.def()
	if i >= len(d.Steps) {
		a.finish()
		return
	}
	if a.enterAfterMeeting(i) {
		return
	}
	a.begin(i)
}

// begin starts step i's round now.
func (a *applier) begin(i int) {
	d := a.def()
	now := a.ev.At
	a.run.Cur = i
	s := &d.Steps[i]
	st := &a.run.Steps[i]
	st.Status, st.StartedAt, st.DoneAt, st.DoneBy, st.WaitUntil = StepActive, now, time.Time{}, "", time.Time{}
	st.Round++
	st.DueAt = a.env.Cal.Add(now, s.Waktu)
	st.Reminders, st.NextReminder = 0, st.DueAt
	st.Escalations, st.NextEscalation = 0, a.env.Cal.Add(st.DueAt, a.env.Office.EscalateAfter)
	st.Assignees = nil
	a.note("step %d entered (round %d), due %s", s.Number, st.Round, st.DueAt.Format("2006-01-02 15:04"))

	switch s.Kind {
	case sop.KindMeeting:
		a.enterMeeting(s, st)
		return
	case sop.KindCollect:
		if st.Round == 1 || len(a.run.Units) == 0 {
			a.run.Units = nil
			for _, u := range a.env.Office.Units {
				a.run.Units = append(a.run.Units, UnitState{Unit: u.ID})
			}
		}
		for ui := range a.run.Units {
			us := &a.run.Units[ui]
			if us.Submitted {
				continue
			}
			a.assignUnit(s, st, us)
		}
		return
	}
	for _, h := range a.env.Office.Holders(s.Role, now) {
		a.assign(s, st, h)
	}
	if len(st.Assignees) == 0 {
		a.note("step %d: nobody holds role %s on this date; the step waits (check the config)", s.Number, s.Role)
	}
}

func (a *applier) assign(s *sop.Step, st *StepState, h sop.Holder) {
	st.Assignees = append(st.Assignees, h.Person.Email)
	a.send(templateFor(s), s.Number, h.Person, &h, false, func(m *MailData) {
		a.fillAssignment(m, s, st)
	}).Attachments = a.inputs(s)
}

func (a *applier) assignUnit(s *sop.Step, st *StepState, us *UnitState) {
	h, ok := a.env.Office.UnitHead(us.Unit, a.ev.At)
	if !ok {
		a.note("step %d: unit %s has no head; nobody was asked", s.Number, us.Unit)
		return
	}
	st.Assignees = append(st.Assignees, h.Person.Email)
	a.send(templateFor(s), s.Number, h.Person, &h, false, func(m *MailData) {
		a.fillAssignment(m, s, st)
		m.Unit = a.unitName(us.Unit)
	}).Attachments = a.inputs(s)
}

func (a *applier) fillAssignment(m *MailData, s *sop.Step, st *StepState) {
	m.Due = st.DueAt
	m.Commands = commandsFor(s)
	m.Round = st.Round
	m.Revision = a.run.Revisions
	m.Notes = append([]Note(nil), a.run.Notes...)
	if s.Report {
		m.Collection = a.collection()
	}
	if s.AfterMeeting {
		m.Meeting = a.meetingInfo() // the daftar hadir, prefilled from the answers
	}
	if s.Kind == sop.KindApproval || st.Round > 1 {
		// The latest rejection reason leads the mail.
		for i := len(a.run.Notes) - 1; i >= 0; i-- {
			if a.run.Notes[i].Kind == "reject" {
				m.Reason, m.By = a.run.Notes[i].Text, a.name(a.run.Notes[i].By)
				break
			}
		}
	}
}

func (a *applier) unitName(id string) string {
	if u, ok := a.env.Office.Unit(id); ok {
		return u.Name
	}
	return id
}

// collection is the readiness report: who sent what, when.
func (a *applier) collection() []UnitRow { return Collection(a.env, a.run, a.ev.At) }

// Collection is the collect step's table at now: each unit, its head, what
// it handed in and when, and the working time from the step's start to
// its hand-in.
func Collection(env Env, r *Run, now time.Time) []UnitRow {
	var since time.Time
	if d, ok := env.SOPDef(r); ok {
		for i, s := range d.Steps {
			if s.Kind == sop.KindCollect && i < len(r.Steps) {
				since = r.Steps[i].StartedAt
				if rs := r.Steps[i].Rounds; len(rs) > 0 && r.Steps[i].Status == StepDone {
					since = rs[len(rs)-1].StartedAt
				}
			}
		}
	}
	var rows []UnitRow
	for _, u := range r.Units {
		row := UnitRow{Unit: unitName(env, u.Unit), Submitted: u.Submitted, At: u.At, Versions: len(u.History)}
		if h, ok := env.Office.UnitHead(u.Unit, now); ok {
			row.Head = h.Person.Name
		}
		for _, f := range u.Attachments {
			row.Files = append(row.Files, f.Filename)
		}
		if u.Submitted && !since.IsZero() && u.At.After(since) {
			row.Minutes = env.Cal.WorkingMinutes(since, u.At)
		}
		rows = append(rows, row)
	}
	return rows
}

func unitName(env Env, id string) string {
	if u, ok := env.Office.Unit(id); ok {
		return u.Name
	}
	return id
}

// complete marks the current step done and enters the next.
func (a *applier) complete(by string, outcome string) {
	d := a.def()
	st := &a.run.Steps[a.run.Cur]
	st.Status, st.DoneAt, st.DoneBy = StepDone, a.ev.At, by
	a.endRound(st, by, outcome)
	a.note("step %d done by %s", d.Steps[a.run.Cur].Number, a.name(by))
	a.enter(a.run.Cur + 1)
}

// endRound closes the current round of st: its working time is measured
// on its own, so that a step done in several rounds is judged per round.
func (a *applier) endRound(st *StepState, by, outcome string) {
	w := a.env.Cal.WorkingMinutes(st.StartedAt, a.ev.At)
	st.WorkMinutes += w
	st.Rounds = append(st.Rounds, RoundTime{Round: st.Round, StartedAt: st.StartedAt, DoneAt: a.ev.At,
		WorkMinutes: w, By: by, Outcome: outcome, MessageID: a.ev.MessageID})
}

// sendBack returns the run to an earlier step after a rejection.
func (a *applier) sendBack(target int) {
	d := a.def()
	_, ti, _ := d.Step(target)
	st := &a.run.Steps[a.run.Cur]
	a.endRound(st, a.ev.From, OutcomeRejected)
	for i := ti; i <= a.run.Cur; i++ {
		a.run.Steps[i].Status = StepPending
	}
	a.enter(ti)
}

func (a *applier) finish() {
	a.run.Status, a.run.FinishedAt, a.run.Cur = RunFinished, a.ev.At, len(a.run.Steps)
	d := a.def()
	a.note("run finished")
	a.effects = append(a.effects, Effect{Type: EffFinish, Outcome: RunFinished})
	a.chain()
	// The summary goes to whoever ran the last step and to their superior.
	last := d.Steps[len(d.Steps)-1]
	roles := []string{last.Role}
	if r, ok := a.env.Office.Role(last.Role); ok && r.Superior != "" {
		roles = append(roles, r.Superior)
	}
	for _, role := range roles {
		for _, h := range a.env.Office.Holders(role, a.ev.At) {
			a.send(TplSummary, 0, h.Person, &h, true, func(m *MailData) {
				m.Status = a.statusRows()
				m.Revision = a.run.Revisions
				m.Meeting = a.meetingInfo()
				m.Collection = a.collection()
			})
		}
	}
}

func (a *applier) isCollectRole(role string) bool {
	for _, s := range a.def().Steps {
		if s.Kind == sop.KindCollect && s.Role == role {
			return true
		}
	}
	return false
}

func dayCount(w sop.Waktu, env Env) int {
	switch w.Unit {
	case sop.Week:
		return w.N * max(env.Cal.DaysPerWeek, 1)
	case sop.Day:
		return w.N * max(env.Cal.DaysPerHari, 1)
	}
	return 1
}
