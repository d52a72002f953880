package flow

import "time"

// MailData is everything a template may show. It is plain data so that it
// can be stored in the outbox and rendered again after a restart.
type MailData struct {
	// Who it is for.
	Salutation    string `json:"salutation"` // "Bapak", "Ibu", "Bapak/Ibu"
	RecipientName string `json:"recipient_name"`
	Jabatan       string `json:"jabatan,omitempty"`
	Acting        string `json:"acting,omitempty"` // "Plh." when acting for someone
	ActingFor     string `json:"acting_for,omitempty"`

	// The run.
	RunTitle  string    `json:"run_title"`
	Tag       string    `json:"tag"` // "LAKIP"
	SOPNumber string    `json:"sop_number"`
	SOPName   string    `json:"sop_name"`
	Ref       string    `json:"ref"` // the reference line, e.g. "Ref: MF-<token>-8"
	Started   time.Time `json:"started,omitzero"`

	// The step.
	Step     StepInfo  `json:"step"`
	Due      time.Time `json:"due,omitzero"`
	Commands []string  `json:"commands,omitempty"` // what a reply may say here
	Unit     string    `json:"unit,omitempty"`     // the unit asked (collect)
	Round    int       `json:"round,omitempty"`    // > 1 after a rejection
	Revision int       `json:"revision,omitempty"` // revisions so far

	// Notes from earlier steps (directions, rejection reasons).
	Notes  []Note `json:"notes,omitempty"`
	Reason string `json:"reason,omitempty"` // rejection reason, or a notice's reason code
	By     string `json:"by,omitempty"`     // who did it (name)
	Detail string `json:"detail,omitempty"` // notice/receipt detail
	// Rejected attachments of the reply, "name (reason)".
	Rejected []string `json:"rejected,omitempty"`
	// Expect is the one-word answer the step wants ("SETUJU atau TOLAK
	// <alasan>", "SELESAI"), for notices that ask again.
	Expect string `json:"expect,omitempty"`
	// Latest is the assignment the official should answer instead (stale
	// round, untokened mail); render names it by its subject and date.
	Latest *LatestMail `json:"latest,omitempty"`
	// RSVP is what was recorded from a plain-text answer to the invitation.
	RSVP *Attendee `json:"rsvp,omitempty"`

	// Receipts: what mailflow did with the reply ("approved", "rejected",
	// "submitted", "resubmitted", "done", "closed").
	Action    string    `json:"action,omitempty"`
	NextStep  *StepInfo `json:"next_step,omitempty"`
	Quote     string    `json:"quote,omitempty"` // the reply's subject, for receipts and notices
	ReplyDate time.Time `json:"reply_date,omitzero"`

	// Tables.
	Collection []UnitRow   `json:"collection,omitempty"`
	Status     []StatusRow `json:"status,omitempty"`

	// Reminders and escalations.
	ReminderNo int      `json:"reminder_no,omitempty"`
	Late       []string `json:"late,omitempty"` // names (and units) still late
	Overdue    string   `json:"overdue,omitempty"`

	// Delivery failures.
	FailedTo     string `json:"failed_to,omitempty"`
	FailedReason string `json:"failed_reason,omitempty"`
	FailedID     string `json:"failed_id,omitempty"`

	// The meeting.
	Meeting *MeetingInfo `json:"meeting,omitempty"`

	// Letter is the letter the mail carries (set by mail-out when it
	// composes the mail, never stored by the flow).
	Letter *LetterRef `json:"letter,omitempty"`

	// Quarantined incoming mail (alert_quarantine).
	Quarantine *QuarantineInfo `json:"quarantine,omitempty"`
}

// LatestMail identifies an assignment already sent: enough to render its
// subject again and say when it went out.
type LatestMail struct {
	Template string    `json:"template"`
	Step     StepInfo  `json:"step"`
	Round    int       `json:"round"`
	Revision int       `json:"revision,omitempty"`
	Unit     string    `json:"unit,omitempty"`
	SentAt   time.Time `json:"sent_at"`
}

// StepInfo describes a step as the SOP words it.
type StepInfo struct {
	Number      int    `json:"number"`
	Kegiatan    string `json:"kegiatan"`
	Kelengkapan string `json:"kelengkapan"`
	Output      string `json:"output"`
	Waktu       string `json:"waktu"` // Mutu Baku, e.g. "30 menit"
	Kind        string `json:"kind"`
	Role        string `json:"role"` // the role's name
}

// UnitRow is one line of the readiness report.
type UnitRow struct {
	Unit      string    `json:"unit"`
	Head      string    `json:"head"`
	Submitted bool      `json:"submitted"`
	At        time.Time `json:"at,omitzero"`
	Files     []string  `json:"files,omitempty"`
	Versions  int       `json:"versions,omitempty"`
	// Minutes is the working time from the step's start to the hand-in.
	Minutes int `json:"minutes,omitempty"`
}

// StatusRow is one line of a run's status table.
type StatusRow struct {
	Number   int       `json:"number"`
	Kegiatan string    `json:"kegiatan"`
	Who      string    `json:"who"`
	Status   string    `json:"status"`
	Since    time.Time `json:"since,omitzero"`
	Due      time.Time `json:"due,omitzero"`
	Done     time.Time `json:"done,omitzero"`
	Overdue  bool      `json:"overdue,omitempty"`
	Waktu    string    `json:"waktu"`
	// Actual is the working time the step took (minutes), for the summary.
	Actual int `json:"actual,omitempty"`
	// Limit is the Mutu Baku in working minutes.
	Limit int `json:"limit,omitempty"`
	// Rounds are the step's rounds, each measured on its own against
	// Limit (with the current one, still running, last).
	Rounds []RoundRow `json:"rounds,omitempty"`
	// Units: the collect step's hand-ins, each with its own time.
	Units []UnitRow `json:"units,omitempty"`
	// Outside: done before mailflow saw it (step 1 without a usable Date).
	Outside bool `json:"outside,omitempty"`
	// Waits: the step starts at this time (the notulen after the meeting).
	Waits time.Time `json:"waits,omitzero"`
}

// RoundRow is one round of a step in the status table.
type RoundRow struct {
	Round   int    `json:"round"`
	Minutes int    `json:"minutes"`
	Over    bool   `json:"over,omitempty"` // over the Mutu Baku
	Outcome string `json:"outcome"`        // flow.Outcome*, "" while running
}

// MeetingInfo is the meeting as mail shows it.
type MeetingInfo struct {
	Title     string     `json:"title"`
	Start     time.Time  `json:"start"`
	End       time.Time  `json:"end"`
	Place     string     `json:"place"`
	Sequence  int        `json:"sequence"`
	Cancelled bool       `json:"cancelled,omitempty"`
	Attendees []Attendee `json:"attendees,omitempty"` // in the order of the hierarchy
	UID       string     `json:"uid,omitempty"`
	// Previous is the time and place before a reschedule.
	Previous *MeetingSlot `json:"previous,omitempty"`
	// A time that cannot be used (meeting_slot, assign_send): why
	// (flow.Slot*), a detail such as the holiday's name, and the next
	// possible slot offered instead.
	Problem       string    `json:"problem,omitempty"`
	ProblemDetail string    `json:"problem_detail,omitempty"`
	Proposed      time.Time `json:"proposed,omitzero"`
}

// LetterRef is a letter attached to the mail, as its body names it.
type LetterRef struct {
	Nomor    string    `json:"nomor"`
	Filename string    `json:"filename"`
	Date     time.Time `json:"date"`
	Kind     string    `json:"kind"` // undangan, perubahan, pembatalan
	Signer   string    `json:"signer"`
	Agenda   string    `json:"agenda,omitempty"`
}
