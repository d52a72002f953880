package flow

import "time"

// EffectType names what must happen after the new state is stored.
type EffectType string

const (
	EffSend     EffectType = "send"     // send Mail
	EffDeadline EffectType = "deadline" // wake the run at Deadline (zero: clear)
	EffEscalate EffectType = "escalate" // record an escalation (its mail is a separate send)
	EffFinish   EffectType = "finish"   // the run ended
	EffNote     EffectType = "note"     // a line for the audit trail
	EffChain    EffectType = "chain"    // start the next SOP's run (Chain)
)

// Effect is one thing to do. Only the fields of its Type are set.
type Effect struct {
	Type     EffectType  `json:"type"`
	Mail     *Mail       `json:"mail,omitempty"`
	Deadline time.Time   `json:"deadline,omitzero"`
	Escalate *Escalation `json:"escalate,omitempty"`
	Outcome  string      `json:"outcome,omitempty"` // finish: "finished" or "cancelled"
	Note     string      `json:"note,omitempty"`
	Chain    *Chain      `json:"chain,omitempty"`
}

// Chain is the run a finished run starts (the SOP's Keterkaitan): the
// caller gives it an ID and token and applies its EvStart in the same
// transaction.
type Chain struct {
	SOP    string `json:"sop"`
	Title  string `json:"title"`
	Parent string `json:"parent"` // the finished run's ID
	Docs   []Doc  `json:"docs,omitempty"`
}

// Template names: one per kind of mail. Mail-out renders them.
const (
	TplTask       = "assign_task"     // a task assignment
	TplApproval   = "assign_approval" // an approval request, the draft attached
	TplCollect    = "assign_collect"  // the material request to a unit
	TplReport     = "assign_report"   // the readiness report (step 5) as a table
	TplReminder   = "reminder"
	TplEscalation = "escalation"
	TplReceipt    = "receipt"        // "Balasan Anda sudah kami terima ..."
	TplNotice     = "notice"         // a reply that was not applied, and why
	TplStatus     = "status"         // the STATUS answer
	TplHelp       = "help"           // the BANTUAN answer
	TplAlert      = "alert_delivery" // a delivery failure, to the admin
	TplSummary    = "summary"        // the finished-run summary
	TplInvitation = "invitation"     // Rapat Tim, iMIP REQUEST
	TplCancel     = "invitation_cancel"
	TplAttendance = "attendance" // who accepted, the working day before
	// TplQuarantine tells the admin that incoming mail was quarantined. It
	// belongs to no run (see AdminMail).
	TplQuarantine = "alert_quarantine"
	// TplAck acknowledges the disposition that started a run.
	TplAck = "disposition_ack"
	// TplSend asks the meeting step's role holder to send the invitations
	// (KIRIM), with the letter, the draft, the invitees and the date.
	TplSend = "assign_send"
	// TplSlot says that a meeting time cannot be used and offers the next
	// possible one.
	TplSlot = "meeting_slot"
	// TplNotulen asks for the notulen and the attendance list after the
	// meeting (the SOP's "Pencatatan dan Pendataan").
	TplNotulen = "assign_notulen"
)

// Mail is a message to send. The flow decides what and to whom; mail-out
// decides how it looks.
type Mail struct {
	Template  string      `json:"template"`
	MessageID string      `json:"message_id"` // without <>; stable across retries
	Thread    string      `json:"thread"`     // the step thread's root Message-ID
	InReplyTo string      `json:"in_reply_to,omitempty"`
	Step      int         `json:"step"` // SOP step number the mail belongs to; 0 = the run
	To        []Recipient `json:"to"`
	Cc        []Recipient `json:"cc,omitempty"`
	// Automatic mail (reminders, receipts, notices...) carries
	// Auto-Submitted and waits for working hours.
	Automatic bool `json:"automatic,omitempty"`
	// AnyHour mail goes at once even outside working hours (an alert to
	// the office IT); it may be Automatic too.
	AnyHour     bool         `json:"any_hour,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Data        MailData     `json:"data"`
	Invite      *Invite      `json:"invite,omitempty"`
}

// Recipient is an addressee.
type Recipient struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Escalation records that a late step was reported to a superior.
type Escalation struct {
	Step  int      `json:"step"`
	Role  string   `json:"role"`  // the superior role told
	Level int      `json:"level"` // 1 = the step role's superior, 2 = theirs...
	Late  []string `json:"late"`  // who is late (emails)
}

// Invite is the iTIP part of a meeting mail (RFC 5546).
type Invite struct {
	Method    string      `json:"method"` // REQUEST or CANCEL
	UID       string      `json:"uid"`
	Sequence  int         `json:"sequence"`
	Summary   string      `json:"summary"`
	Start     time.Time   `json:"start"`
	End       time.Time   `json:"end"`
	Place     string      `json:"place"`
	Organizer Recipient   `json:"organizer"`
	Attendees []Recipient `json:"attendees"`
}

// WaitsForHours reports whether m is held outside working hours: automatic
// mail is, unless it is an alert that must go at once.
func (m *Mail) WaitsForHours() bool { return m.Automatic && !m.AnyHour }

// answers are the templates that answer what a person just did: they go
// at once, at any hour. Only mail nobody asked for (reminders,
// escalations, summaries) waits for working hours.
func answers(tpl string) bool {
	switch tpl {
	case TplReceipt, TplNotice, TplStatus, TplHelp, TplAck, TplSlot:
		return true
	}
	return false
}
