package flow

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// Why a meeting time cannot be used. Templates and the CLI word them.
const (
	SlotPast     = "past"     // the time has passed
	SlotHoliday  = "holiday"  // a holiday (detail: its name)
	SlotWeekend  = "weekend"  // not a working day
	SlotHours    = "hours"    // starts or ends outside working hours
	SlotUnsigned = "unsigned" // before the draft can be signed
)

// CheckMeeting reports whether a meeting of minutes at start can be held
// in run r seen at now: on a working day, within working hours, not in
// the past and not before the draft is signed. When it cannot, it gives
// the reason, a detail (a holiday's name) and the next possible slot.
func CheckMeeting(env Env, r *Run, start time.Time, minutes int, now time.Time) (problem, detail string, next time.Time) {
	d, ok := env.SOPDef(r)
	defTime := 9 * 60
	if ok {
		defTime = d.Meeting.DefaultTime
		if minutes <= 0 {
			minutes = d.Meeting.Minutes
		}
	}
	earliest := now
	if t := signedBy(env, r, now); t.After(earliest) {
		earliest = t
	}
	problem, detail = slotProblem(env, start, minutes, now, earliest)
	if problem == "" {
		return "", "", start
	}
	return problem, detail, NextSlot(env, start, minutes, earliest, defTime)
}

func slotProblem(env Env, start time.Time, minutes int, now, earliest time.Time) (string, string) {
	c := env.Cal
	switch {
	case start.Before(now):
		return SlotPast, ""
	case start.Before(earliest):
		return SlotUnsigned, ""
	}
	if name, ok := c.Holiday(start); ok {
		return SlotHoliday, name
	}
	if !c.IsWorkingDay(start.In(c.Loc)) {
		return SlotWeekend, ""
	}
	if !fitsHours(env, start, minutes) {
		return SlotHours, ""
	}
	return "", ""
}

func clock(t time.Time) int { return t.Hour()*60 + t.Minute() }

func fitsHours(env Env, start time.Time, minutes int) bool {
	tod := clock(start.In(env.Cal.Loc))
	return tod >= env.Cal.Open && tod+minutes <= env.Cal.Close
}

// NextSlot is the first possible meeting time at or after want (and not
// before earliest): the same time of day on the next working day when it
// fits the working hours, else defTime, else the opening hour.
func NextSlot(env Env, want time.Time, minutes int, earliest time.Time, defTime int) time.Time {
	c := env.Cal
	want = want.In(c.Loc)
	tod := clock(want)
	if tod < c.Open || tod+minutes > c.Close {
		tod = defTime
		if tod < c.Open || tod+minutes > c.Close {
			tod = c.Open
		}
	}
	day := want
	if day.Before(earliest) {
		day = earliest.In(c.Loc)
	}
	for range 800 {
		y, m, dd := day.Date()
		if c.IsWorkingDay(day) {
			t := time.Date(y, m, dd, 0, tod, 0, 0, c.Loc)
			if t.Before(earliest) {
				// Later the same day: the next half hour that still fits.
				e := earliest.In(c.Loc)
				half := (clock(e) + 29) / 30 * 30
				t = time.Date(y, m, dd, 0, max(half, c.Open), 0, 0, c.Loc)
			}
			if !t.Before(earliest) && fitsHours(env, t, minutes) {
				return t
			}
		}
		day = time.Date(y, m, dd+1, 0, 0, 0, 0, c.Loc)
	}
	return time.Time{}
}

// signedBy is when the draft is (or is expected to be) signed: the end of
// the last approval step before the meeting step, projected from now by
// the Mutu Baku when it is not done yet.
func signedBy(env Env, r *Run, now time.Time) time.Time {
	d, ok := env.SOPDef(r)
	if !ok {
		return time.Time{}
	}
	_, mi, ok := d.MeetingStep()
	if !ok {
		return time.Time{}
	}
	last := -1
	for i := 0; i < mi && i < len(r.Steps); i++ {
		if d.Steps[i].Kind == sop.KindApproval {
			last = i
		}
	}
	if last < 0 {
		return time.Time{}
	}
	if r.Steps[last].Status == StepDone && r.Cur > last {
		return r.Steps[last].DoneAt
	}
	t := now
	for i := max(r.Cur, 0); i <= last; i++ {
		t = env.Cal.Add(t, d.Steps[i].Waktu)
	}
	return t
}

// ProjectedEnd is when a run of d started at start should end if every
// step takes its Mutu Baku, in working time: the meeting on its default
// day, then the steps after it.
func ProjectedEnd(env Env, d *sop.SOP, start time.Time) time.Time {
	t := start
	for i, s := range d.Steps {
		if i == 0 {
			continue // the disposition itself
		}
		if s.AfterMeeting {
			day := env.Cal.AddDays(t, max(dayCount(d.Meeting.DefaultAfter, env), 1))
			y, m, dd := day.In(env.Cal.Loc).Date()
			t = time.Date(y, m, dd, 0, d.Meeting.DefaultTime+d.Meeting.Minutes, 0, 0, env.Cal.Loc)
		}
		t = env.Cal.Add(t, s.Waktu)
	}
	return t
}

// meetingDef is the SOP's meeting step.
func (a *applier) meetingDef() (*sop.Step, int) {
	s, i, ok := a.def().MeetingStep()
	if !ok {
		return nil, -1
	}
	return s, i
}

// meetingStep is the meeting step's number, 0 when the SOP has none.
func (a *applier) meetingStep() int {
	if s, _ := a.meetingDef(); s != nil {
		return s.Number
	}
	return 0
}

// check judges the planned meeting at the event's time.
func (a *applier) check() (string, string, time.Time) {
	mt := a.run.Meeting
	start := mt.Start
	if start.IsZero() {
		start, _ = a.meetingPlan(a.def())
	}
	return CheckMeeting(a.env, a.run, start, mt.Minutes, a.ev.At)
}

// enterMeeting prepares the invitation. With auto the invitations go at
// once; otherwise the step's role holder (the Kasubag Perencanaan, who
// "menggandakan … dan mendistribusikannya") is asked to answer KIRIM.
func (a *applier) enterMeeting(s *sop.Step, st *StepState) {
	a.prepareMeeting()
	prob, det, next := a.check()
	if s.Auto && prob == "" {
		a.sendInvitations(s, "", OutcomeSent)
		return
	}
	if prob != "" {
		a.propose(next, "")
		a.note("step %d: the planned meeting time cannot be used (%s); %s proposed", s.Number, prob, next.In(a.env.Cal.Loc).Format("2006-01-02 15:04"))
	}
	for _, h := range a.env.Office.Holders(s.Role, a.ev.At) {
		st.Assignees = append(st.Assignees, h.Person.Email)
		a.send(templateFor(s), s.Number, h.Person, &h, false, func(m *MailData) {
			a.fillAssignment(m, s, st)
			m.Meeting = a.meetingInfo()
			if prob != "" {
				m.Meeting.Problem, m.Meeting.ProblemDetail, m.Meeting.Proposed = prob, det, next
			}
		}).Attachments = a.inputs(s)
	}
	if len(st.Assignees) == 0 {
		a.note("step %d: nobody holds role %s on this date; the step waits (check the config)", s.Number, s.Role)
	}
}

// prepareMeeting builds the meeting from the plan (step 12's date and
// place, else the SOP's defaults) and the attendee roles, without issuing
// it.
func (a *applier) prepareMeeting() {
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
	old := a.run.Meeting
	a.run.Meeting = &Meeting{UID: fmt.Sprintf("%s@%s", a.run.Token, a.env.Office.Domain), Title: d.Meeting.Title,
		Start: start, Minutes: d.Meeting.Minutes, Place: place, Attendees: atts}
	if old != nil {
		a.run.Meeting.Proposed, a.run.Meeting.ProposedTo, a.run.Meeting.ProposedStep = old.Proposed, old.ProposedTo, old.ProposedStep
		a.run.Meeting.ProposedPlace = old.ProposedPlace
	}
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

// sendInvitations issues the meeting and completes the meeting step.
func (a *applier) sendInvitations(s *sop.Step, by, outcome string) {
	mt := a.run.Meeting
	mt.SummaryAt, mt.SummarySent = a.env.Cal.PrevWorkingDay(mt.Start), false
	mt.Proposed, mt.ProposedTo, mt.ProposedStep, mt.ProposedPlace = time.Time{}, "", 0, ""
	a.invite("REQUEST", s.Number)
	a.note("step %d: Rapat Tim invitation sent to %d attendees for %s at %s", s.Number, len(mt.Attendees), mt.Start.In(a.env.Cal.Loc).Format("2006-01-02 15:04"), mt.Place)
	a.complete(by, outcome)
}

// propose records the slot offered to the person who set an impossible
// time; their SETUJU (or KIRIM) to the notice confirms it.
func (a *applier) propose(next time.Time, to string) {
	mt := a.run.Meeting
	mt.Proposed, mt.ProposedTo, mt.ProposedStep, mt.ProposedPlace = next, strings.ToLower(to), a.ev.Step, ""
	if in := a.ev.Meeting; in != nil && in.Place != "" {
		mt.ProposedPlace = in.Place
	}
}

// slotNotice tells p that the meeting time they set cannot be used, and
// offers the next possible slot.
func (a *applier) slotNotice(p *sop.Person, step int, prob, det string, want, next time.Time) {
	a.ev.Step = step
	a.propose(next, p.Email)
	m := a.send(TplSlot, step, p, nil, true, func(m *MailData) {
		m.Meeting = a.meetingInfo()
		if m.Meeting == nil {
			m.Meeting = &MeetingInfo{}
		}
		m.Meeting.Start = want
		m.Meeting.Problem, m.Meeting.ProblemDetail, m.Meeting.Proposed = prob, det, next
		d := a.def()
		if m.Meeting.Title == "" {
			m.Meeting.Title = d.Meeting.Title
		}
		if a.run.Meeting.ProposedPlace != "" {
			m.Meeting.Place = a.run.Meeting.ProposedPlace
		} else if m.Meeting.Place == "" {
			m.Meeting.Place = d.Meeting.Place
		}
		a.quote(m)
	})
	m.InReplyTo = a.ev.MessageID
	a.note("meeting time %s from %s not used (%s); %s proposed", want.In(a.env.Cal.Loc).Format("2006-01-02 15:04"), p.Name, prob, next.In(a.env.Cal.Loc).Format("2006-01-02 15:04"))
}

// adoptProposal takes the offered slot when p, who was offered it, answers
// SETUJU, SELESAI or KIRIM without a date of their own.
func (a *applier) adoptProposal(p *sop.Person) bool {
	mt := a.run.Meeting
	ev := a.ev
	if mt == nil || mt.Proposed.IsZero() || ev.Meeting != nil || !strings.EqualFold(mt.ProposedTo, p.Email) {
		return false
	}
	if ev.Command != CmdApprove && ev.Command != CmdDone {
		return false
	}
	if ev.Step != 0 && mt.ProposedStep != 0 && ev.Step != mt.ProposedStep {
		return false
	}
	a.ev.Meeting = &MeetingInput{Start: mt.Proposed, HasTime: true, Place: mt.ProposedPlace}
	return true
}

// meetingReply is the answer of the meeting step's role holder to the
// request to send: KIRIM (or SETUJU) sends; Tanggal/Pukul/Tempat change
// the plan first.
func (a *applier) meetingReply(p *sop.Person, s *sop.Step, st *StepState, acting string) {
	ev := a.ev
	switch ev.Command {
	case CmdUnclear:
		a.unclear(p, s)
		return
	case CmdApprove, CmdDone:
	case CmdNone:
		if ev.Meeting == nil {
			a.notice(p, WhyNoCommand, "")
			return
		}
	default:
		a.notice(p, WhyWrongCommand, "meeting")
		return
	}
	mt := a.run.Meeting
	if mt.Proposed.IsZero() || !strings.EqualFold(mt.ProposedTo, p.Email) {
		// A proposal made when the step was entered is for whoever
		// answers it.
		mt.ProposedTo = p.Email
	}
	a.adoptProposal(p)
	if a.ev.Meeting != nil {
		a.planMeeting(a.ev.Meeting)
	}
	if prob, det, next := a.check(); prob != "" {
		a.slotNotice(p, s.Number, prob, det, mt.Start, next)
		return
	}
	mt.Proposed, mt.ProposedTo, mt.ProposedStep, mt.ProposedPlace = time.Time{}, "", 0, ""
	if ev.Command == CmdNone {
		// Only the plan changed: show it and wait for KIRIM.
		a.receipt(p, "planned", acting, func(m *MailData) { m.Meeting = a.meetingInfo() })
		a.note("step %d: %s changed the meeting to %s at %s", s.Number, p.Name, mt.Start.In(a.env.Cal.Loc).Format("2006-01-02 15:04"), mt.Place)
		return
	}
	a.keepNotes(s, "notes")
	a.receipt(p, "sent", acting, func(m *MailData) { m.Meeting = a.meetingInfo() })
	a.sendInvitations(s, p.Email, OutcomeSent)
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
	return &MeetingInfo{Title: mt.Title, Start: mt.Start, End: mt.Start.Add(time.Duration(mt.Minutes) * time.Minute),
		Place: mt.Place, Sequence: mt.Sequence, Cancelled: mt.Cancelled, Attendees: a.byHierarchy(mt.Attendees),
		UID: mt.UID, Previous: mt.Previous}
}

// byHierarchy orders attendees as the office ranks them: by the depth of
// their highest role in the superior chain (the Kepala Dinas first), then
// as invited (units in their configured order).
func (a *applier) byHierarchy(in []Attendee) []Attendee {
	out := append([]Attendee(nil), in...)
	depth := func(email string) int {
		best := 1 << 10
		p, ok := a.env.Office.Person(email)
		if !ok {
			return best
		}
		roles := append([]string(nil), p.Roles...)
		for _, ac := range a.env.Office.Acting {
			if strings.EqualFold(ac.Person, email) && ac.Covers(a.ev.At) {
				roles = append(roles, ac.Role)
			}
		}
		for _, r := range roles {
			n := 0
			for cur := r; cur != "" && n < 32; n++ {
				rr, ok := a.env.Office.Role(cur)
				if !ok {
					break
				}
				cur = rr.Superior
			}
			best = min(best, n)
		}
		return best
	}
	sort.SliceStable(out, func(i, j int) bool { return depth(out[i].Email) < depth(out[j].Email) })
	return out
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
	return email == "admin" || strings.HasPrefix(email, "web:") || strings.HasPrefix(email, "cli:")
}

// meetingChange reschedules or cancels the meeting: RFC 5546 §3.2.2 REQUEST
// with a higher SEQUENCE, or §3.2.5 CANCEL. After a cancellation, a new
// time schedules a new meeting: a new UID (calendars treat the cancelled
// one as gone) and so a new letter.
func (a *applier) meetingChange() {
	ev := a.ev
	mt := a.run.Meeting
	if mt == nil || mt.Issued.IsZero() {
		a.note("meeting change ignored: no invitation has been sent yet")
		return
	}
	step := a.meetingStep()
	if ev.Cancel {
		if mt.Cancelled {
			a.note("meeting cancel ignored: already cancelled")
			return
		}
		mt.Sequence++
		a.bumpMeetingRound()
		mt.Cancelled = true
		a.invite("CANCEL", step)
		a.waitForMeeting()
		a.note("meeting cancelled by %s", a.name(ev.From))
		return
	}
	if mt.Cancelled && (ev.Meeting == nil || ev.Meeting.Start.IsZero()) {
		a.note("meeting change ignored: the meeting is cancelled; a new one needs a date")
		return
	}
	oldStart, oldPlace := mt.Start, mt.Place
	if ev.Meeting != nil {
		a.planMeeting(ev.Meeting)
	}
	if !ev.Force {
		if prob, det, next := CheckMeeting(a.env, a.run, mt.Start, mt.Minutes, ev.At); prob != "" {
			want := mt.Start
			mt.Start, mt.Place = oldStart, oldPlace
			if p, ok := a.env.Office.Person(ev.From); ok {
				a.slotNotice(p, step, prob, det, want, next)
			} else {
				a.note("meeting change to %s refused: %s", want.In(a.env.Cal.Loc).Format("2006-01-02 15:04"), prob)
			}
			return
		}
	}
	mt.Proposed, mt.ProposedTo, mt.ProposedStep, mt.ProposedPlace = time.Time{}, "", 0, ""
	mt.Previous = &MeetingSlot{Start: oldStart, Place: oldPlace}
	if mt.Cancelled {
		mt.Cancelled = false
		mt.Generation++
		mt.UID = fmt.Sprintf("%s-%d@%s", a.run.Token, mt.Generation+1, a.env.Office.Domain)
		mt.Sequence = 0
		mt.Previous = nil
	} else {
		mt.Sequence++
	}
	a.bumpMeetingRound()
	for i := range mt.Attendees {
		mt.Attendees[i].PartStat, mt.Attendees[i].At, mt.Attendees[i].Delegate = "NEEDS-ACTION", time.Time{}, ""
	}
	mt.SummaryAt, mt.SummarySent = a.env.Cal.PrevWorkingDay(mt.Start), false
	a.invite("REQUEST", step)
	a.waitForMeeting()
	a.note("meeting rescheduled by %s to %s at %s (sequence %d)", a.name(ev.From), mt.Start.In(a.env.Cal.Loc).Format("2006-01-02 15:04"), mt.Place, mt.Sequence)
}

// bumpMeetingRound makes a new issue of the invitation a new round of its
// step: answers written to an older issue no longer count.
func (a *applier) bumpMeetingRound() {
	if _, i := a.meetingDef(); i >= 0 {
		a.run.Steps[i].Round++
	}
}
