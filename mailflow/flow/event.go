package flow

import "time"

// EventType names what happened.
type EventType string

const (
	// EvStart starts a run, by a disposition (MessageID set) or by hand.
	EvStart EventType = "start"
	// EvReply is an official's reply, already parsed and authenticated.
	EvReply EventType = "reply"
	// EvTick is time passing; At is now.
	EvTick EventType = "tick"
	// EvDeliveryFailed reports a mail of ours that could not be delivered.
	EvDeliveryFailed EventType = "delivery_failed"
	// EvCalendarReply is an attendee's iTIP REPLY.
	EvCalendarReply EventType = "calendar_reply"
	// EvMeetingChange reschedules (Start/Place) or cancels the meeting.
	EvMeetingChange EventType = "meeting_change"
	// EvRefused is a reply the caller could not trust (From is not an
	// official's address, or DKIM/DMARC failed): nothing is applied, and
	// the real assignee is told, never the unverified sender.
	EvRefused EventType = "refused"
	// EvNoToken is a new mail from a known official that carries no
	// correlation token (no In-Reply-To, Ref line or plus-address of ours),
	// when the caller may not apply it: nothing is applied, and the official
	// is asked to reply to the assignment mail itself.
	EvNoToken EventType = "no_token"
	// EvManual marks the current step done on paper: an operator (From is
	// "web:<account>" or "cli:<user>") records that the official did it
	// outside mail. Notes must give the reason; it is kept in the run's
	// record as such, and the step's round is marked "manual".
	EvManual EventType = "manual"
	// EvRedisposition is a second disposition for a run that exists: the
	// sender is told which run it is; nothing else changes.
	EvRedisposition EventType = "redisposition"
	// EvOutboxAction records in the run's history that an operator (From)
	// acted on one of its outgoing mails (FailedID, its Message-ID):
	// Reason "retry" (sent again now) or "cancel" (never sent). The
	// outbox row changes in the same transaction; the run's state does
	// not.
	EvOutboxAction EventType = "outbox_action"
)

// Command is what a reply asks for.
type Command string

const (
	CmdApprove Command = "approve"
	CmdReject  Command = "reject"
	CmdDone    Command = "done"
	CmdStatus  Command = "status"
	CmdHelp    Command = "help"
	// CmdUnclear is a reply the grammar could not read safely (an approve
	// word mixed with a negation, hedge or reject word, or text and HTML
	// that disagree): nothing is applied, the official is asked again.
	CmdUnclear Command = "unclear"
	CmdNone    Command = ""
)

// Event is one input to the flow. Only the fields of its Type are set. It
// is stored as JSON in the run's event log; replaying the log through Apply
// rebuilds the run exactly.
type Event struct {
	Type  EventType `json:"type"`
	At    time.Time `json:"at"`
	RunID string    `json:"run_id"`

	// Start.
	Token string `json:"token,omitempty"`
	SOP   string `json:"sop,omitempty"`
	Title string `json:"title,omitempty"`

	// Who: the person's address (for a reply, the authenticated sender;
	// for a start by hand, "admin" or the operator's name).
	From string `json:"from,omitempty"`

	// Reply.
	Step int `json:"step,omitempty"` // the step it correlates to; 0 = unknown
	// Round is the round of the step that the reply's token names (the
	// mail it answers); 0 = unknown (an old mail, or a carrier with no
	// round). A non-zero round other than the step's current one is stale.
	Round   int     `json:"round,omitempty"`
	Command Command `json:"command,omitempty"`
	// Notes is what the official wrote after the command; for CmdUnclear,
	// the text that was read (clipped by the caller), quoted back to them.
	Notes       string        `json:"notes,omitempty"`
	Attachments []Attachment  `json:"attachments,omitempty"`
	Meeting     *MeetingInput `json:"meeting,omitempty"`
	// Rejected lists attachments refused (too large, type not allowed),
	// as "name (reason)", so the official is told why.
	Rejected []string `json:"rejected,omitempty"`

	// Evidence: the Message-ID of the mail that caused the event.
	MessageID string `json:"message_id,omitempty"`
	// SentAt is when the sender wrote the mail (its Date header, or an
	// iTIP REPLY's DTSTAMP), as opposed to At, when it was processed.
	// Zero when unknown. The flow trusts it only within [run start, At].
	SentAt time.Time `json:"sent_at,omitzero"`

	// Delivery failure: our Message-ID that failed, to whom, why.
	FailedID  string `json:"failed_id,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	Reason    string `json:"reason,omitempty"`

	// Calendar reply: an iTIP REPLY, or a plain-text answer to the
	// invitation ("Hadir", "Diwakilkan oleh ..."). PartStat is ACCEPTED,
	// DECLINED, TENTATIVE or DELEGATED; Delegate names the delegate.
	PartStat string `json:"partstat,omitempty"`
	Delegate string `json:"delegate,omitempty"`
	// TextRSVP marks an answer written in a reply's text, not sent by a
	// calendar client: the sender gets a receipt of what was recorded
	// (a calendar client shows its own answer, so an iTIP REPLY gets none).
	TextRSVP bool `json:"text_rsvp,omitempty"`

	// Meeting change.
	Cancel bool `json:"cancel,omitempty"`
	// Force takes a meeting time that CheckMeeting refuses (an operator's
	// explicit choice, e.g. a meeting on a Saturday).
	Force bool `json:"force,omitempty"`
	// CalendarUID is the UID an iTIP REPLY answers; a reply to an earlier
	// meeting (cancelled, then scheduled anew) is not counted.
	CalendarUID string `json:"calendar_uid,omitempty"`

	// Start of a chained run: the documents passed on by the run before.
	Docs   []Doc  `json:"docs,omitempty"`
	Parent string `json:"parent,omitempty"`
}

// MeetingInput is a meeting's date and place as an official wrote them.
type MeetingInput struct {
	Start   time.Time `json:"start,omitzero"`
	HasTime bool      `json:"has_time,omitempty"`
	Place   string    `json:"place,omitempty"`
}
