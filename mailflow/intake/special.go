package intake

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

type recorder func(result, runID string) error

// bounce feeds a permanent delivery failure of one of our mails back to
// its run. Never answered: a bounce must not be bounced.
func (in *Intake) bounce(ctx context.Context, p *reply.Parsed, mark store.Inbound, now time.Time, record recorder) error {
	b := p.Bounce
	if b == nil || b.OriginalMessageID == "" {
		return record(ResBounce+" (no Message-ID of ours inside)", "")
	}
	var out store.OutboxRow
	err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.MailByMessageID(b.OriginalMessageID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return record(ResBounce+" (not one of our mails)", "")
	}
	if err != nil {
		return err
	}
	if b.Recipient != "" && !addressed(&out.Mail, b.Recipient) {
		// RFC 3464 names the recipient; a report about someone we never
		// sent this mail to is not about our mail.
		return record(fmt.Sprintf("%s (ignored: %s was not a recipient of %s)", ResBounce, b.Recipient, out.MessageID), out.RunID)
	}
	if !b.Permanent {
		return record(fmt.Sprintf("%s (transient %s for %s)", ResBounce, b.Status, b.Recipient), out.RunID)
	}
	reason := strings.TrimSpace(b.Status + " " + b.Diagnostic)
	if out.Template == flow.TplAlert {
		reason += " [alert]"
	}
	ev := flow.Event{Type: flow.EvDeliveryFailed, At: now, RunID: out.RunID, FailedID: out.MessageID, Recipient: b.Recipient,
		Reason: reason, Step: out.Step, MessageID: p.MessageID}
	mark.Result = ResBounce
	return in.handle(ctx, ev, mark)
}

// calendar applies an attendee's iTIP REPLY (RFC 5546 §3.2.3).
func (in *Intake) calendar(ctx context.Context, p *reply.Parsed, mark store.Inbound, now time.Time, record recorder) error {
	c, err := in.correlate(ctx, p)
	if err != nil {
		return err
	}
	run := c.run
	if run == nil && p.CalendarUID != "" {
		tok := calendarToken(p.CalendarUID)
		err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
			r, err := tx.RunByToken(tok)
			if err == nil {
				run = r
			}
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	if run == nil {
		return record(ResCalendarNoop, "")
	}
	// RFC 5546 §3.2.3: an attendee replies for itself. The ATTENDEE must be
	// the From, the From an official, proven by the policy, and invited.
	who := p.Attendee
	if who == "" {
		who = p.From
	}
	person, ok := in.office().Person(who)
	if !ok || !strings.EqualFold(p.From, person.Email) {
		return record(ResUnknown+" (calendar reply from "+p.From+" for "+who+")", run.ID)
	}
	if why := in.authFails(p); why != "" {
		in.Log.Warn("calendar reply refused by the authentication policy", "from", p.From, "why", why, "message_id", p.MessageID)
		return record(ResAuth+" ("+why+")", run.ID)
	}
	var invited bool
	err = in.Engine.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		invited, err = invitedTo(tx, run.ID, person.Email)
		return err
	})
	if err != nil {
		return err
	}
	if !invited {
		return record("refused: calendar reply from "+p.From+", who was not invited", run.ID)
	}
	ev := flow.Event{Type: flow.EvCalendarReply, At: now, RunID: run.ID, From: person.Email, PartStat: p.PartStat, MessageID: p.MessageID,
		SentAt: p.Date, CalendarUID: p.CalendarUID, Delegate: p.Delegate}
	mark.Result = ResApplied
	return in.handle(ctx, ev, mark)
}

func (in *Intake) known(addr string) bool {
	_, ok := in.office().Person(addr)
	return ok
}

// triggerSender reports whether addr may start a run of d: a holder (or
// acting holder) of a trigger role, or a configured notifier address.
func (in *Intake) triggerSender(d *sop.SOP, addr string, at time.Time) bool {
	addr = strings.ToLower(addr)
	for _, a := range d.FromAddrs {
		if a == addr {
			return true
		}
	}
	for _, r := range d.FromRoles {
		if _, ok := in.office().MayAct(addr, r, at); ok {
			return true
		}
	}
	return false
}

type match int

const (
	matchNo      match = iota
	matchSubject       // the subject has every required word; the body may decide the rest
	matchFull
)

// subjectMatches applies the trigger's words: every SubjectAll word in the
// subject, and one SubjectAny word in the subject or the body.
func subjectMatches(d *sop.SOP, subject, body string) match {
	for _, w := range d.SubjectAll {
		if !containsWord(subject, w) {
			return matchNo
		}
	}
	if len(d.SubjectAny) == 0 {
		return matchFull
	}
	for _, w := range d.SubjectAny {
		if containsWord(subject, w) || containsWord(body, w) {
			return matchFull
		}
	}
	if body == "" {
		return matchSubject
	}
	return matchNo
}

// containsWord reports whether w occurs in s, case-folded, with no letter
// or digit right before or after it (the words of a trigger are config,
// so they are matched without compiling a pattern per message). Invalid
// UTF-8 on either side reads as U+FFFD.
func containsWord(s, w string) bool {
	rw := []rune(strings.ToLower(strings.ToValidUTF8(strings.TrimSpace(w), "\uFFFD")))
	if len(rw) == 0 {
		return false
	}
	rs := []rune(strings.ToLower(strings.ToValidUTF8(s, "\uFFFD")))
	for i := 0; i+len(rw) <= len(rs); i++ {
		if !slices.Equal(rs[i:i+len(rw)], rw) {
			continue
		}
		if (i == 0 || !isWordRune(rs[i-1])) && (i+len(rw) == len(rs) || !isWordRune(rs[i+len(rw)])) {
			return true
		}
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var yearRe = regexp.MustCompile(`\b(20[2-9]\d)\b`)

// trigger starts a run when the message is the disposition, or attaches a
// second copy of a disposition to the run it already started.
func (in *Intake) trigger(ctx context.Context, p *reply.Parsed, mark store.Inbound, now time.Time, record recorder) error {
	body := p.Text
	from := p.From
	if p.Kind == reply.KindForward {
		body = p.Text + "\n" + p.Subject
	}
	for i := range in.office().SOPs {
		d := &in.office().SOPs[i]
		if subjectMatches(d, p.Subject, body+" ") != matchFull {
			continue
		}
		ok := in.triggerSender(d, from, now)
		if !ok && d.ForwardedOK && p.Kind == reply.KindForward && in.known(from) {
			ok = true // the Sekretariat forwards the disposition from the e-office system
		}
		if !ok {
			continue
		}
		if why := in.authFails(p); why != "" {
			// A disposition in the Kepala Dinas's name that the policy
			// cannot prove starts nothing; the evidence stays.
			in.Log.Warn("disposition refused by the authentication policy", "from", from, "why", why, "message_id", p.MessageID)
			return record(ResSpoofed+" ("+why+")", "")
		}
		title := d.Tag
		if y := yearRe.FindString(p.Subject + " " + p.Text); y != "" {
			title += " Tahun " + y
		} else {
			title += fmt.Sprintf(" Tahun %d", now.In(in.Config.Calendar.Loc).Year()-1)
		}
		// A disposition for a run already started attaches to it.
		var existing string
		err := in.Engine.Store.View(ctx, func(tx *store.Tx) error {
			runs, err := tx.Runs(flow.RunActive)
			for _, r := range runs {
				if r.SOP == d.ID && strings.EqualFold(r.Title, title) {
					existing = r.ID
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		if existing != "" {
			if !in.known(from) {
				return record(ResAttached+" "+existing, existing)
			}
			// A second disposition for a run that exists: its sender
			// is told which run it is, not silently ignored.
			mark.Result = ResAttached + " " + existing
			return in.handle(ctx, flow.Event{Type: flow.EvRedisposition, At: now, RunID: existing, From: from, MessageID: p.MessageID}, mark)
		}
		by := from
		if !in.known(by) {
			by = "" // a notifier address: the run is started by the office
		}
		tok := token.New()
		ev := flow.Event{Type: flow.EvStart, At: now, RunID: tok[:10], Token: tok, SOP: d.ID, Title: title,
			From: by, MessageID: p.MessageID, Attachments: attachments(p), Notes: dispositionText(p), SentAt: p.Date}
		mark.Result = ResStarted
		return in.handle(ctx, ev, mark)
	}
	// Not ours after all (it passed only the header pre-check): it is left
	// untouched and unmarked, for the humans who read the mailbox.
	return fmt.Errorf("%w: neither a reply to a run nor a disposition", mailin.ErrSkip)
}

// invitedTo reports whether an invitation of run went to addr.
func invitedTo(tx *store.Tx, runID, addr string) (bool, error) {
	rows, err := tx.Outbox(runID)
	return anyMail(rows, addr, func(o *store.OutboxRow) bool { return o.Mail.Invite != nil }), err
}
