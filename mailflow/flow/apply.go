package flow

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Notice reason codes: why a reply changed nothing. Templates turn them
// into Bahasa Indonesia.
const (
	WhyFinished      = "run_finished"       // the run has ended
	WhyNotCurrent    = "not_current"        // the step is done or not started yet
	WhyWrongRole     = "wrong_role"         // the sender doesn't hold the step's role
	WhyWrongCommand  = "wrong_command"      // the command doesn't fit the step
	WhyNoCommand     = "no_command"         // no command word found
	WhyNoAttachment  = "missing_attachment" // SELESAI without the work attached
	WhyNotUnitHead   = "not_unit_head"      // collect: the sender heads no unit
	WhyAlreadyClosed = "collect_closed"     // collect: the step was closed
	WhyUnverified    = "unverified_sender"  // to the assignee: a reply from an address we could not trust
	WhyUnclear       = "unclear"            // the reply could not be read safely; asked again
	WhyStaleRound    = "stale_round"        // the reply answers an earlier round's mail of the step
	WhyNoToken       = "no_token"           // a new mail, not a reply to our mail: reply to the assignment
	WhyRedisposition = "redisposition"      // a second disposition for a run that exists (detail: who has the step)
	WhyNotStarted    = "not_started"        // the step waits for the meeting's end (Due: when it starts)
)

// ErrBadEvent is returned for an event the flow cannot take at all (a
// programming or wiring error, never an official's mistake: those become
// notices).
var ErrBadEvent = errors.New("flow: bad event")

// Apply is the flow's only entry point: it returns the run's new state and
// the effects to perform. run is nil for EvStart. The input run is not
// modified.
func Apply(env Env, run *Run, ev Event) (*Run, []Effect, error) {
	if ev.At.IsZero() {
		return nil, nil, fmt.Errorf("%w: %s without a time", ErrBadEvent, ev.Type)
	}
	var r *Run
	if ev.Type == EvStart {
		if run != nil {
			return nil, nil, fmt.Errorf("%w: run %s already exists", ErrBadEvent, ev.RunID)
		}
	} else {
		if run == nil {
			return nil, nil, fmt.Errorf("%w: %s for no run", ErrBadEvent, ev.Type)
		}
		r = run.clone()
	}
	a := &applier{env: env, run: r, ev: ev}
	var err error
	switch ev.Type {
	case EvStart:
		err = a.start()
	case EvReply:
		err = a.reply()
	case EvTick:
		a.tick()
	case EvDeliveryFailed:
		a.deliveryFailed()
	case EvCalendarReply:
		a.calendarReply()
	case EvMeetingChange:
		a.meetingChange()
	case EvRefused:
		a.refused()
	case EvNoToken:
		err = a.noToken()
	case EvManual:
		err = a.manual()
	case EvRedisposition:
		a.redisposition()
	case EvOutboxAction:
		err = a.outboxAction()
	default:
		err = fmt.Errorf("%w: unknown type %q", ErrBadEvent, ev.Type)
	}
	if err != nil {
		return nil, nil, err
	}
	if m := a.pendingReceipt; m != nil && a.run.Status == RunActive {
		if s, _, ok := env.Current(a.run); ok {
			ns := a.stepInfo(s)
			m.Data.NextStep = &ns
		}
	}
	a.run.Seq++
	if ev.MessageID != "" {
		if a.run.Seen == nil {
			a.run.Seen = map[string]bool{}
		}
		a.run.Seen[ev.MessageID] = true
	}
	a.schedule()
	return a.run, a.effects, nil
}

type applier struct {
	env     Env
	run     *Run
	ev      Event
	effects []Effect
	// pendingReceipt learns the next step once the event is applied.
	pendingReceipt *Mail
}

func (a *applier) def() *sop.SOP {
	d, _ := a.env.Office.SOP(a.run.SOP)
	return d
}

func (a *applier) note(format string, args ...any) {
	a.effects = append(a.effects, Effect{Type: EffNote, Note: fmt.Sprintf(format, args...)})
}

func (a *applier) name(email string) string {
	if p, ok := a.env.Office.Person(email); ok {
		return p.Name
	}
	return email
}

func (a *applier) roleName(id string) string {
	if r, ok := a.env.Office.Role(id); ok {
		return r.Name
	}
	return id
}

// send queues a mail for one person, filling the common fields.
func (a *applier) send(tpl string, step int, to *sop.Person, h *sop.Holder, automatic bool, fill func(*MailData)) *Mail {
	a.run.Sent++
	ref := token.Ref{Token: a.run.Token, Step: step, Round: a.roundOf(step)}
	d := a.def()
	m := &Mail{
		Template:  tpl,
		MessageID: token.MessageID(ref, a.run.Sent, a.env.Office.Domain),
		Thread:    token.ThreadRoot(ref, a.env.Office.Domain),
		Step:      step,
		To:        []Recipient{{Email: to.Email, Name: to.Name}},
		Automatic: automatic,
		AnyHour:   answers(tpl),
		Data: MailData{
			Salutation: to.Salutation, RecipientName: to.Name, Jabatan: to.Jabatan,
			RunTitle: a.run.Title, Tag: d.Tag, SOPNumber: d.Number, SOPName: d.Name,
			Ref: token.RefLine(ref), Started: a.run.StartedAt,
		},
	}
	if h != nil && h.Acting != "" {
		m.Data.Acting = h.Acting
		if h.For != nil {
			m.Data.ActingFor = h.For.Name
		}
	}
	if s, _, ok := d.Step(step); ok {
		m.Data.Step = a.stepInfo(s)
	}
	if fill != nil {
		fill(&m.Data)
	}
	a.effects = append(a.effects, Effect{Type: EffSend, Mail: m})
	return m
}

// roundOf is the round a mail about step belongs to: the step's latest
// entering (every mail about a step is sent while that round is the
// latest). Step 0 (the run) has no round.
func (a *applier) roundOf(step int) int {
	for _, st := range a.run.Steps {
		if st.Number == step {
			return st.Round
		}
	}
	return 0
}

func (a *applier) stepInfo(s *sop.Step) StepInfo {
	return StepInfo{Number: s.Number, Kegiatan: s.Kegiatan, Kelengkapan: s.Kelengkapan, Output: s.Output,
		Waktu: s.Waktu.String(), Kind: string(s.Kind), Role: a.roleName(s.Role)}
}

func (r *Run) clone() *Run {
	c := *r
	c.Steps = append([]StepState(nil), r.Steps...)
	for i := range c.Steps {
		c.Steps[i].Assignees = append([]string(nil), r.Steps[i].Assignees...)
		c.Steps[i].Rounds = append([]RoundTime(nil), r.Steps[i].Rounds...)
	}
	c.Units = make([]UnitState, len(r.Units))
	for i, u := range r.Units {
		u.Attachments = append([]Attachment(nil), u.Attachments...)
		u.History = append([]Submission(nil), u.History...)
		c.Units[i] = u
	}
	if r.Units == nil {
		c.Units = nil
	}
	if r.Docs != nil {
		c.Docs = make(map[string]Doc, len(r.Docs))
		for k, v := range r.Docs {
			c.Docs[k] = v
		}
	}
	c.Notes = append([]Note(nil), r.Notes...)
	c.Failures = append([]Failure(nil), r.Failures...)
	if r.Throttle != nil {
		c.Throttle = make(map[string]Window, len(r.Throttle))
		for k, v := range r.Throttle {
			c.Throttle[k] = v
		}
	}
	if r.Seen != nil {
		c.Seen = make(map[string]bool, len(r.Seen))
		for k, v := range r.Seen {
			c.Seen[k] = v
		}
	}
	if r.Meeting != nil {
		m := *r.Meeting
		m.Attendees = append([]Attendee(nil), r.Meeting.Attendees...)
		c.Meeting = &m
	}
	return &c
}

func (a *applier) start() error {
	ev := a.ev
	d, ok := a.env.Office.SOP(ev.SOP)
	if !ok {
		return fmt.Errorf("%w: unknown SOP %q", ErrBadEvent, ev.SOP)
	}
	if !token.Valid(ev.Token) || ev.RunID == "" {
		return fmt.Errorf("%w: start needs a run ID and a valid token", ErrBadEvent)
	}
	a.run = &Run{ID: ev.RunID, Token: ev.Token, SOP: d.ID, Title: ev.Title, Status: RunActive,
		StartedAt: ev.At, StartedBy: ev.From}
	for _, s := range d.Steps {
		a.run.Steps = append(a.run.Steps, StepState{Number: s.Number, Status: StepPending})
	}
	if len(ev.Attachments) > 0 {
		a.setDoc("disposisi", d.Steps[0].Number, ev.Attachments)
	}
	a.startDocs(&d.Steps[0])
	// The first step is the disposition itself: the event completes it.
	first := &a.run.Steps[0]
	first.Status, first.Round, first.StartedAt, first.DoneAt, first.DoneBy = StepDone, 1, ev.At, ev.At, ev.From
	a.measureFirst(first)
	how := "by hand"
	switch {
	case ev.MessageID != "":
		how = "by disposition " + ev.MessageID
	case ev.Parent != "":
		how = "after run " + ev.Parent
	}
	a.note("run %q started %s (%s); step %d done", ev.Title, how, a.name(ev.From), first.Number)
	if t := strings.TrimSpace(ev.Notes); t != "" {
		a.run.Notes = append(a.run.Notes, Note{Step: first.Number, By: ev.From, At: ev.At, Kind: "notes", Text: clip(t, 2000)})
	}
	a.enter(1)
	a.acknowledge()
	return nil
}

func (a *applier) setDoc(name string, step int, att []Attachment) {
	if a.run.Docs == nil {
		a.run.Docs = map[string]Doc{}
	}
	old := a.run.Docs[name]
	a.run.Docs[name] = Doc{Name: name, Version: old.Version + 1, Step: step, By: a.ev.From, At: a.ev.At,
		Attachments: append([]Attachment(nil), att...)}
}

// inputs resolves a step's input documents to attachments. A step entered
// again after a rejection also gets its own last output back (the draft
// with the reviewer's notes), first.
func (a *applier) inputs(s *sop.Step) []Attachment {
	var out []Attachment
	if st := a.run.Steps[a.run.Cur]; st.Round > 1 && s.Produces != "" && !contains(s.Inputs, s.Produces) {
		out = append(out, a.run.Docs[s.Produces].Attachments...)
	}
	for _, in := range s.Inputs {
		if in == "bahan" {
			for _, u := range a.run.Units {
				out = append(out, u.Attachments...)
			}
			continue
		}
		out = append(out, a.run.Docs[in].Attachments...)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
