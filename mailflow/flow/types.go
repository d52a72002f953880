// Package flow is the pure core of mailflow: Apply(env, run, event) returns
// the run's new state and the effects to perform (mail to send, deadlines to
// set, escalations, the end of the run). It reads no clock, opens no socket
// and touches no disk: time arrives inside events, and the caller persists
// the result before it performs any effect.
package flow

import (
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Env is what the flow reads besides the run: the office and its calendar.
type Env struct {
	Office *sop.Office
	Cal    *workcal.Calendar
}

// Run statuses.
const (
	RunActive    = "active"
	RunFinished  = "finished"
	RunCancelled = "cancelled"
)

// Step statuses.
const (
	StepPending = "pending"
	StepActive  = "active"
	StepDone    = "done"
)

// Run is the whole state of one run of an SOP. It is stored as JSON.
type Run struct {
	ID         string          `json:"id"`
	Token      string          `json:"token"`
	SOP        string          `json:"sop"`
	Title      string          `json:"title"`
	Status     string          `json:"status"`
	StartedAt  time.Time       `json:"started_at"`
	StartedBy  string          `json:"started_by"`
	FinishedAt time.Time       `json:"finished_at,omitzero"`
	Cur        int             `json:"cur"` // index of the current step; len(Steps) when none
	Steps      []StepState     `json:"steps"`
	Units      []UnitState     `json:"units,omitempty"`
	Docs       map[string]Doc  `json:"docs,omitempty"`
	Revisions  int             `json:"revisions"`
	Notes      []Note          `json:"notes,omitempty"`
	Meeting    *Meeting        `json:"meeting,omitempty"`
	Failures   []Failure       `json:"failures,omitempty"`
	Seen       map[string]bool `json:"seen,omitempty"` // evidence Message-IDs applied
	Wake       time.Time       `json:"wake,omitzero"`  // next deadline; zero = none
	Seq        int64           `json:"seq"`            // events applied
	Sent       int64           `json:"sent"`           // mails emitted, numbers Message-IDs
	// Throttle counts notices that someone else's mail can trigger (a
	// forged reply, an untokened mail), so that nobody can flood an
	// official through us. Keys name the kind, step and sender.
	Throttle map[string]Window `json:"throttle,omitempty"`
}

// Window is a fixed rate window: N notices sent since Since.
type Window struct {
	Since time.Time `json:"since"`
	N     int       `json:"n"`
}

// StepState is the progress of one SOP step in a run.
type StepState struct {
	Number int    `json:"number"`
	Status string `json:"status"`
	// Round counts the times the step was entered; for the meeting step,
	// also each new issue of the invitation (reschedule, cancellation), so
	// that a written answer to an older one can be told apart.
	Round          int       `json:"round,omitempty"`
	StartedAt      time.Time `json:"started_at,omitzero"`
	DueAt          time.Time `json:"due_at,omitzero"`
	DoneAt         time.Time `json:"done_at,omitzero"`
	DoneBy         string    `json:"done_by,omitempty"`
	Assignees      []string  `json:"assignees,omitempty"`
	Reminders      int       `json:"reminders,omitempty"`
	NextReminder   time.Time `json:"next_reminder,omitzero"`
	Escalations    int       `json:"escalations,omitempty"`
	NextEscalation time.Time `json:"next_escalation,omitzero"`
	// WorkMinutes is the working time the step took, summed over rounds.
	WorkMinutes int `json:"work_minutes,omitempty"`
	// Rounds is each finished round of the step, oldest first: a step done
	// again after a rejection is measured per round against its Mutu Baku.
	Rounds []RoundTime `json:"rounds,omitempty"`
	// Outside marks a step done before mailflow saw it (step 1 when the
	// disposition carried no usable Date): its time is not measured.
	Outside bool `json:"outside,omitempty"`
	// WaitUntil: the step is current but its assignment waits for this
	// time (the notulen after the meeting's end). Zero: not waiting.
	WaitUntil time.Time `json:"wait_until,omitzero"`
}

// Round outcomes.
const (
	OutcomeDone     = "done"     // SELESAI, or the collect step complete/closed
	OutcomeApproved = "approved" // SETUJU
	OutcomeRejected = "rejected" // TOLAK: the run went back
	OutcomeManual   = "manual"   // marked done on paper, with a reason
	OutcomeSent     = "sent"     // the meeting step: invitations sent
)

// RoundTime is one round of a step: when it was entered and ended, the
// working time between, and how it ended.
type RoundTime struct {
	Round       int       `json:"round"`
	StartedAt   time.Time `json:"started_at"`
	DoneAt      time.Time `json:"done_at"`
	WorkMinutes int       `json:"work_minutes"`
	By          string    `json:"by,omitempty"`
	Outcome     string    `json:"outcome"`
	// MessageID is the evidence: the mail that ended the round.
	MessageID string `json:"message_id,omitempty"`
}

// UnitState is one unit's hand-in for the collect step.
type UnitState struct {
	Unit        string       `json:"unit"`
	Submitted   bool         `json:"submitted"`
	At          time.Time    `json:"at,omitzero"`
	By          string       `json:"by,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Notes       string       `json:"notes,omitempty"`
	History     []Submission `json:"history,omitempty"` // every submission, oldest first
	Reminders   int          `json:"reminders,omitempty"`
}

// Submission is one hand-in, kept in the history even when replaced.
type Submission struct {
	At          time.Time    `json:"at"`
	By          string       `json:"by"`
	MessageID   string       `json:"message_id,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Doc is a document that moves through the run, e.g. the draft.
type Doc struct {
	Name        string       `json:"name"`
	Version     int          `json:"version"`
	Step        int          `json:"step"`
	By          string       `json:"by"`
	At          time.Time    `json:"at"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file kept in the blob store.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Note is something an official wrote that later steps carry: directions,
// rejection reasons.
type Note struct {
	Step int       `json:"step"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Kind string    `json:"kind"` // "notes", "reject"
	Text string    `json:"text"`
	// Unit is the unit's name when a unit head wrote it with a hand-in.
	Unit string `json:"unit,omitempty"`
}

// Meeting is the Rapat Tim.
type Meeting struct {
	UID         string     `json:"uid"`
	Title       string     `json:"title"`
	Start       time.Time  `json:"start"`
	Minutes     int        `json:"minutes"`
	Place       string     `json:"place"`
	Sequence    int        `json:"sequence"`
	Cancelled   bool       `json:"cancelled,omitempty"`
	Attendees   []Attendee `json:"attendees"`
	SummaryAt   time.Time  `json:"summary_at,omitzero"`
	SummarySent bool       `json:"summary_sent,omitempty"`
	Issued      time.Time  `json:"issued,omitzero"` // when the latest REQUEST or CANCEL went out
	// Proposed is the slot offered to ProposedTo (in a notice about step
	// ProposedStep) after they set a time that cannot be used; their
	// SETUJU, SELESAI or KIRIM without a date confirms it.
	Proposed     time.Time `json:"proposed,omitzero"`
	ProposedTo   string    `json:"proposed_to,omitempty"`
	ProposedStep int       `json:"proposed_step,omitempty"`
	// ProposedPlace is the place written with the refused time: it holds
	// when the slot is confirmed.
	ProposedPlace string `json:"proposed_place,omitempty"`
	// Generation counts meetings scheduled anew after a cancellation;
	// each has its own UID.
	Generation int `json:"generation,omitempty"`
	// Previous is the time and place before the latest reschedule, for
	// the letter's "semula … menjadi …".
	Previous *MeetingSlot `json:"previous,omitempty"`
}

// MeetingSlot is a meeting's time and place.
type MeetingSlot struct {
	Start time.Time `json:"start"`
	Place string    `json:"place"`
}

// Attendee is one invited official and their answer (RFC 5545 PARTSTAT).
type Attendee struct {
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	PartStat string    `json:"partstat"`           // NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED
	Delegate string    `json:"delegate,omitempty"` // DELEGATED: who comes instead
	At       time.Time `json:"at,omitzero"`
}

// Failure is a mail that could not be delivered.
type Failure struct {
	MessageID string    `json:"message_id"`
	Recipient string    `json:"recipient"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
}

// SOPDef returns the run's SOP definition.
func (e Env) SOPDef(r *Run) (*sop.SOP, bool) { return e.Office.SOP(r.SOP) }

// Current returns the current step's definition and state.
func (e Env) Current(r *Run) (*sop.Step, *StepState, bool) {
	d, ok := e.SOPDef(r)
	if !ok || r.Cur < 0 || r.Cur >= len(r.Steps) || r.Cur >= len(d.Steps) {
		return nil, nil, false
	}
	return &d.Steps[r.Cur], &r.Steps[r.Cur], true
}
