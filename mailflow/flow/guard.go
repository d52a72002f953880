package flow

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// Rate limits for notices that another person's mail can trigger. A
// forged reply reaches the real assignee as an "unverified sender" notice
// and an untokened mail as a "reply to the assignment" notice; without a
// limit, anyone could flood an official through us. Windows are 24 hours
// of wall time, not working time: flooding does not wait for office hours.
const (
	throttleWindow   = 24 * time.Hour
	refusedPerSender = 1 // per forged sender and step, per window
	refusedPerStep   = 3 // per step, whatever the sender, per window
	noTokenPerPerson = 2 // untokened mails answered per official, per window
)

// allow reports whether one more notice under every key fits its limit;
// when it does, it counts the notice under each key. Expired windows are
// dropped first, so the state does not grow with the senders an attacker
// makes up.
func (a *applier) allow(limits map[string]int) bool {
	now := a.ev.At
	for k, w := range a.run.Throttle {
		if now.Sub(w.Since) >= throttleWindow {
			delete(a.run.Throttle, k)
		}
	}
	for k, limit := range limits {
		if a.run.Throttle[k].N >= limit {
			return false
		}
	}
	if a.run.Throttle == nil {
		a.run.Throttle = map[string]Window{}
	}
	for k := range limits {
		w := a.run.Throttle[k]
		if w.N == 0 {
			w.Since = now
		}
		w.N++
		a.run.Throttle[k] = w
	}
	return true
}

// expect is the one-word answer a step wants, as a notice asks for it.
func expect(s *sop.Step) string {
	switch {
	case s.Kind == sop.KindMeeting:
		return "KIRIM (atau SETUJU)"
	case s.Kind == sop.KindApproval:
		return "SETUJU atau TOLAK <alasan>"
	case s.Kind == sop.KindCollect || s.NeedsAttachment:
		return "SELESAI, dengan melampirkan berkasnya"
	}
	return "SELESAI"
}

// latestFor is the assignment of the current round that was sent to p, or
// nil when p was not asked in it.
func (a *applier) latestFor(p *sop.Person, s *sop.Step, st *StepState) *LatestMail {
	asked := false
	for _, e := range st.Assignees {
		asked = asked || strings.EqualFold(e, p.Email)
	}
	if !asked {
		return nil
	}
	l := &LatestMail{Template: templateFor(s), Step: a.stepInfo(s), Round: st.Round, Revision: a.run.Revisions, SentAt: st.StartedAt}
	if s.Kind == sop.KindCollect {
		if u, ok := a.env.Office.HeadOf(p.Email, a.ev.At); ok {
			l.Unit = a.unitName(u)
		}
	}
	return l
}

// staleRound answers a reply to an earlier round's mail of the current
// step: what it says was meant for a draft or a request that has since
// been replaced, so it changes nothing.
func (a *applier) staleRound(p *sop.Person, s *sop.Step, st *StepState) {
	a.notice(p, WhyStaleRound, "", func(m *MailData) {
		m.Latest = a.latestFor(p, s, st)
		m.Round = st.Round
	})
}

// unclear asks again, quoting what was read.
func (a *applier) unclear(p *sop.Person, s *sop.Step) {
	a.notice(p, WhyUnclear, clip(a.ev.Notes, 300), func(m *MailData) { m.Expect = expect(s) })
}

// clip folds whitespace and cuts s to n characters, for a quote.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// noToken asks an official who wrote a new mail instead of replying to
// reply to the assignment mail itself, naming it.
func (a *applier) noToken() error {
	ev := a.ev
	p, ok := a.env.Office.Person(ev.From)
	if !ok {
		return fmt.Errorf("%w: untokened mail from unknown person %q", ErrBadEvent, ev.From)
	}
	if ev.MessageID != "" && a.run.Seen[ev.MessageID] {
		a.note("untokened mail %s from %s was already answered; ignored", ev.MessageID, p.Name)
		return nil
	}
	if !a.allow(map[string]int{"no_token|" + strings.ToLower(p.Email): noTokenPerPerson}) {
		a.note("untokened mail from %s not applied; not told again within 24 hours", p.Name)
		return nil
	}
	if a.run.Status != RunActive {
		a.notice(p, WhyFinished, "")
		return nil
	}
	var latest *LatestMail
	var exp string
	if s, st, ok := a.env.Current(a.run); ok {
		if latest = a.latestFor(p, s, st); latest != nil {
			exp = expect(s)
		}
		// The notice belongs to the step it names, so that a reply to
		// the notice itself correlates there (the mail had no step).
		a.ev.Step = s.Number
	}
	a.notice(p, WhyNoToken, "", func(m *MailData) { m.Latest, m.Expect = latest, exp })
	return nil
}

// unitNote keeps a unit head's notes with the hand-in for the steps that
// follow (the receipt promises to pass them on). A later hand-in's notes
// replace the unit's earlier ones at this step.
func (a *applier) unitNote(s *sop.Step, unit string) {
	t := strings.TrimSpace(a.ev.Notes)
	if t == "" {
		return
	}
	n := Note{Step: s.Number, By: a.ev.From, At: a.ev.At, Kind: "notes", Text: t, Unit: unit}
	for i, old := range a.run.Notes {
		if old.Step == s.Number && old.Unit == unit && old.Kind == "notes" {
			a.run.Notes = append(append(a.run.Notes[:i:i], a.run.Notes[i+1:]...), n)
			return
		}
	}
	a.run.Notes = append(a.run.Notes, n)
}
