package flow

import (
	"fmt"
	"sort"
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
	case s.Report:
		return TplReport
	case s.Kind == sop.KindApproval:
		return TplApproval
	case s.Kind == sop.KindCollect:
		return TplCollect
	}
	return TplTask
}

// enter makes step i current and sends its assignments.
func (a *applier) enter(i int) {
	d := a.def()
	if i >= len(d.Steps) {
		a.finish()
		return
	}
	now := a.ev.At
	a.run.Cur = i
	s := &d.Steps[i]
	st := &a.run.Steps[i]
	st.Status, st.StartedAt, st.DoneAt, st.DoneBy = StepActive, now, time.Time{}, ""
	st.Round++
	st.DueAt = a.env.Cal.Add(now, s.Waktu)
	st.Reminders, st.NextReminder = 0, st.DueAt
	st.Escalations, st.NextEscalation = 0, a.env.Cal.Add(st.DueAt, a.env.Office.EscalateAfter)
	st.Assignees = nil
	a.note("step %d entered (round %d), due %s", s.Number, st.Round, st.DueAt.Format("2006-01-02 15:04"))

	switch s.Kind {
	case sop.KindMeeting:
		a.meeting(s, st)
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
func (a *applier) collection() []UnitRow {
	var rows []UnitRow
	for _, u := range a.run.Units {
		row := UnitRow{Unit: a.unitName(u.Unit), Submitted: u.Submitted, At: u.At, Versions: len(u.History)}
		if h, ok := a.env.Office.UnitHead(u.Unit, a.ev.At); ok {
			row.Head = h.Person.Name
		}
		for _, f := range u.Attachments {
			row.Files = append(row.Files, f.Filename)
		}
		rows = append(rows, row)
	}
	return rows
}

// complete marks the current step done and enters the next.
func (a *applier) complete(by string) {
	d := a.def()
	st := &a.run.Steps[a.run.Cur]
	st.Status, st.DoneAt, st.DoneBy = StepDone, a.ev.At, by
	st.WorkMinutes += a.env.Cal.WorkingMinutes(st.StartedAt, a.ev.At)
	a.note("step %d done by %s", d.Steps[a.run.Cur].Number, a.name(by))
	a.enter(a.run.Cur + 1)
}

// sendBack returns the run to an earlier step after a rejection.
func (a *applier) sendBack(target int) {
	d := a.def()
	_, ti, _ := d.Step(target)
	st := &a.run.Steps[a.run.Cur]
	st.WorkMinutes += a.env.Cal.WorkingMinutes(st.StartedAt, a.ev.At)
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

// meeting sends the Rapat Tim invitation; the run ends with it.
func (a *applier) meeting(s *sop.Step, st *StepState) {
	d := a.def()
	now := a.ev.At
	start, place := a.meetingPlan(d)
	var atts []Attendee
	seen := map[string]bool{}
	for _, role := range d.Meeting.AttendeeRoles {
		for _, h := range a.env.Office.Holders(role, now) {
			if !seen[h.Person.Email] {
				seen[h.Person.Email] = true
				atts = append(atts, Attendee{Email: h.Person.Email, Name: h.Person.Name, PartStat: "NEEDS-ACTION"})
			}
		}
		if a.isCollectRole(role) { // the collect role means every unit head, acting ones included
			for _, u := range a.env.Office.Units {
				if h, ok := a.env.Office.UnitHead(u.ID, now); ok && !seen[h.Person.Email] {
					seen[h.Person.Email] = true
					atts = append(atts, Attendee{Email: h.Person.Email, Name: h.Person.Name, PartStat: "NEEDS-ACTION"})
				}
			}
		}
	}
	a.run.Meeting = &Meeting{UID: fmt.Sprintf("%s@%s", a.run.Token, a.env.Office.Domain), Title: d.Meeting.Title,
		Start: start, Minutes: d.Meeting.Minutes, Place: place, Attendees: atts}
	a.run.Meeting.SummaryAt = a.env.Cal.PrevWorkingDay(start)
	a.invite("REQUEST", s.Number)
	st.Status, st.DoneAt, st.DoneBy = StepDone, now, "mailflow"
	a.note("step %d: Rapat Tim invitation sent to %d attendees for %s at %s", s.Number, len(atts), start.Format("2006-01-02 15:04"), place)
	a.finish()
}

func (a *applier) isCollectRole(role string) bool {
	for _, s := range a.def().Steps {
		if s.Kind == sop.KindCollect && s.Role == role {
			return true
		}
	}
	return false
}

// meetingPlan takes the date and place from the latest reply that carried
// them (step 12's disposition), else the SOP's defaults.
func (a *applier) meetingPlan(d *sop.SOP) (time.Time, string) {
	start, place := time.Time{}, d.Meeting.Place
	if a.run.Meeting != nil {
		start = a.run.Meeting.Start
		if a.run.Meeting.Place != "" {
			place = a.run.Meeting.Place
		}
	}
	if start.IsZero() {
		day := a.env.Cal.AddDays(a.ev.At, max(dayCount(d.Meeting.DefaultAfter, a.env), 1))
		y, m, dd := day.Date()
		start = time.Date(y, m, dd, 0, d.Meeting.DefaultTime, 0, 0, a.env.Cal.Loc)
	}
	return start, place
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

// invite sends the meeting mail (REQUEST or CANCEL) to every attendee.
func (a *applier) invite(method string, step int) {
	mt := a.run.Meeting
	var to []Recipient
	for _, at := range mt.Attendees {
		to = append(to, Recipient{Email: at.Email, Name: at.Name})
	}
	org := Recipient{Email: a.env.Office.Mailbox, Name: a.env.Office.Name}
	tpl := TplInvitation
	if method == "CANCEL" {
		tpl = TplCancel
	}
	mt.Issued = a.ev.At
	inv := &Invite{Method: method, UID: mt.UID, Sequence: mt.Sequence, Summary: mt.Title, Start: mt.Start,
		End: mt.Start.Add(time.Duration(mt.Minutes) * time.Minute), Place: mt.Place, Organizer: org, Attendees: to}
	p := teamPerson(to)
	m := a.send(tpl, step, &p, nil, false, func(m *MailData) {
		m.Meeting = a.meetingInfo()
	})
	m.To = to
	m.Invite = inv
	if method == "REQUEST" {
		m.Attachments = a.run.Docs["draft"].Attachments
	}
}

func teamPerson(to []Recipient) sop.Person {
	return sop.Person{Email: to[0].Email, Name: "Tim Penyusun", Salutation: "Bapak/Ibu"}
}

func (a *applier) meetingInfo() *MeetingInfo {
	mt := a.run.Meeting
	if mt == nil {
		return nil
	}
	atts := append([]Attendee(nil), mt.Attendees...)
	sort.SliceStable(atts, func(i, j int) bool { return atts[i].PartStat < atts[j].PartStat })
	return &MeetingInfo{Title: mt.Title, Start: mt.Start, End: mt.Start.Add(time.Duration(mt.Minutes) * time.Minute),
		Place: mt.Place, Sequence: mt.Sequence, Cancelled: mt.Cancelled, Attendees: atts}
}
