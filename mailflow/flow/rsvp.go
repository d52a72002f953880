package flow

import (
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// sentAt is when the sender wrote the event's mail, as its Date (or
// DTSTAMP) says, when that lies between after and the event's arrival;
// else the arrival. A sender's clock cannot move an answer outside that.
func (a *applier) sentAt(after time.Time) time.Time {
	t := a.ev.SentAt
	if t.IsZero() || t.After(a.ev.At) || t.Before(after) {
		return a.ev.At
	}
	return t
}

func (a *applier) attendanceSummary() {
	mt := a.run.Meeting
	mt.SummarySent = true
	s, _ := a.meetingDef()
	if s == nil {
		return
	}
	for _, h := range a.env.Office.Holders(s.Role, a.ev.At) {
		a.send(TplAttendance, s.Number, h.Person, &h, true, func(m *MailData) {
			m.Meeting = a.meetingInfo()
		})
	}
	a.note("attendance summary sent for the meeting of %s", mt.Start.Format("2006-01-02 15:04"))
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
	if ev.CalendarUID != "" && !strings.EqualFold(ev.CalendarUID, mt.UID) {
		// An answer to a meeting that was cancelled and then scheduled
		// anew under another UID: it is not an answer to this one.
		a.note("calendar reply from %s to an earlier meeting (%s) ignored", ev.From, Inert(ev.CalendarUID, 100))
		return
	}
	for i := range mt.Attendees {
		at := &mt.Attendees[i]
		if !strings.EqualFold(at.Email, ev.From) {
			continue
		}
		at.PartStat, at.Delegate, at.At = ps, "", a.sentAt(mt.Issued)
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

// staleRSVP tells the writer that the answer was for an earlier issue of
// the invitation, and names the latest one.
func (a *applier) staleRSVP() {
	ev, mt := a.ev, a.run.Meeting
	a.note("written answer from %s to an earlier invitation (round %d) ignored", ev.From, ev.Round)
	p, ok := a.env.Office.Person(ev.From)
	if !ok {
		return
	}
	s, _ := a.meetingDef()
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
	m := a.send(TplReceipt, a.meetingStep(), p, nil, true, func(m *MailData) {
		m.Action = "rsvp"
		m.RSVP = &at
		m.Meeting = a.meetingInfo()
		a.quote(m)
	})
	m.InReplyTo = a.ev.MessageID
}
