package flow

import (
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// maxDispositionAge bounds how far back a disposition's Date may lie and
// still measure step 1: an older Date is a clock error or a forwarded old
// letter, not the time the Kepala Dinas gave it.
const maxDispositionAge = 30 * 24 * time.Hour

// measureFirst measures step 1 (the disposition) from the mail's Date to
// its arrival, or marks it as done outside mailflow. It is never "0 menit".
func (a *applier) measureFirst(st *StepState) {
	ev := a.ev
	sent := ev.SentAt
	if ev.MessageID == "" || sent.IsZero() || sent.After(ev.At) || ev.At.Sub(sent) > maxDispositionAge {
		st.Outside = true
		st.Rounds = append(st.Rounds, RoundTime{Round: 1, StartedAt: ev.At, DoneAt: ev.At, By: ev.From, Outcome: OutcomeDone, MessageID: ev.MessageID})
		return
	}
	w := a.env.Cal.WorkingMinutes(sent, ev.At)
	st.StartedAt, st.WorkMinutes = sent, w
	st.Rounds = append(st.Rounds, RoundTime{Round: 1, StartedAt: sent, DoneAt: ev.At, WorkMinutes: w, By: ev.From, Outcome: OutcomeDone, MessageID: ev.MessageID})
}

// acknowledge answers the disposition that started the run: its
// reference, who has the next step, and when the run should end.
func (a *applier) acknowledge() {
	ev := a.ev
	p, ok := a.env.Office.Person(ev.From)
	if !ok || ev.MessageID == "" {
		return
	}
	s, st, ok := a.env.Current(a.run)
	if !ok {
		return
	}
	var who []string
	for _, e := range st.Assignees {
		who = append(who, a.name(e))
	}
	m := a.send(TplAck, 0, p, nil, true, func(m *MailData) {
		ns := a.stepInfo(s)
		m.NextStep = &ns
		m.Late = who // here: who holds the next step
		m.Due = ProjectedEnd(a.env, a.def(), ev.At)
		m.Notes = append([]Note(nil), a.run.Notes...)
		a.quote(m)
	})
	m.InReplyTo = ev.MessageID
}

// redisposition answers a second disposition for a run that exists: the
// run goes on as it is, and the sender is told which run it is.
func (a *applier) redisposition() {
	ev := a.ev
	if ev.MessageID != "" && a.run.Seen[ev.MessageID] {
		a.note("disposition %s was already applied; ignored", ev.MessageID)
		return
	}
	p, ok := a.env.Office.Person(ev.From)
	if !ok {
		a.note("a second disposition for this run from %s; nobody to answer", ev.From)
		return
	}
	if !a.allow(map[string]int{"redisposition|" + strings.ToLower(p.Email): noTokenPerPerson}) {
		a.note("a second disposition from %s; not answered again within 24 hours", p.Name)
		return
	}
	who := ""
	if s, st, ok := a.env.Current(a.run); ok && a.run.Status == RunActive {
		var names []string
		for _, e := range st.Assignees {
			names = append(names, a.name(e))
		}
		who = strings.Join(names, ", ")
		if who == "" {
			who = a.roleName(s.Role)
		}
	}
	a.notice(p, WhyRedisposition, who)
}

// enterAfterMeeting makes an after-meeting step current; its assignment
// waits until the meeting has ended (or, cancelled, until a new one).
func (a *applier) enterAfterMeeting(i int) bool {
	d := a.def()
	s := &d.Steps[i]
	if !s.AfterMeeting {
		return false
	}
	a.run.Cur = i
	st := &a.run.Steps[i]
	st.Status, st.StartedAt, st.DoneAt, st.DoneBy, st.Assignees = StepPending, time.Time{}, time.Time{}, "", nil
	end := a.meetingEnd()
	if !end.IsZero() && !a.ev.At.Before(end) {
		return false // the meeting is over: start now
	}
	st.WaitUntil = end
	if end.IsZero() {
		a.note("step %d waits for a new meeting date", s.Number)
	} else {
		a.note("step %d waits for the meeting's end (%s)", s.Number, end.In(a.env.Cal.Loc).Format("2006-01-02 15:04"))
	}
	return true
}

// meetingEnd is when the meeting ends; zero when there is none or it is
// cancelled.
func (a *applier) meetingEnd() time.Time {
	mt := a.run.Meeting
	if mt == nil || mt.Cancelled || mt.Issued.IsZero() {
		return time.Time{}
	}
	return mt.Start.Add(time.Duration(mt.Minutes) * time.Minute)
}

// waitForMeeting moves a waiting after-meeting step to the meeting's new
// end after a reschedule or a cancellation.
func (a *applier) waitForMeeting() {
	if a.run.Status != RunActive {
		return
	}
	s, st, ok := a.env.Current(a.run)
	if !ok || !s.AfterMeeting || st.Status != StepPending {
		return
	}
	st.WaitUntil = a.meetingEnd()
}

// wake starts a waiting after-meeting step once the meeting has ended.
func (a *applier) wake() bool {
	s, st, ok := a.env.Current(a.run)
	if !ok || !s.AfterMeeting || st.Status != StepPending || st.WaitUntil.IsZero() || a.ev.At.Before(st.WaitUntil) {
		return false
	}
	st.WaitUntil = time.Time{}
	a.begin(a.run.Cur)
	return true
}

// chain starts the next SOP's run when the SOP links one (Keterkaitan),
// passing on the named documents.
func (a *applier) chain() {
	d := a.def()
	n := d.Next
	if !n.Enabled || n.SOP == "" {
		return
	}
	nd, ok := a.env.Office.SOP(n.SOP)
	if !ok {
		a.note("next SOP %q is not configured; no run started", n.SOP)
		return
	}
	title := nd.Tag
	if rest, ok := strings.CutPrefix(a.run.Title, d.Tag); ok {
		title += rest
	}
	c := &Chain{SOP: nd.ID, Title: title, Parent: a.run.ID}
	for _, name := range n.Docs {
		if doc, ok := a.run.Docs[name]; ok {
			c.Docs = append(c.Docs, doc)
		} else if name == "bahan" {
			var att []Attachment
			for _, u := range a.run.Units {
				att = append(att, u.Attachments...)
			}
			c.Docs = append(c.Docs, Doc{Name: "bahan", Version: 1, Attachments: att})
		}
	}
	a.effects = append(a.effects, Effect{Type: EffChain, Chain: c})
	a.note("next SOP %s (%s) to be started as %q", nd.Number, nd.ID, title)
}

// startDocs takes the documents a chained run starts with.
func (a *applier) startDocs(first *sop.Step) {
	for _, doc := range a.ev.Docs {
		if a.run.Docs == nil {
			a.run.Docs = map[string]Doc{}
		}
		doc.Version, doc.Step = 1, first.Number
		a.run.Docs[doc.Name] = doc
	}
}
