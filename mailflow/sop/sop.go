// Package sop is the model of an office and the SOPs it runs: people,
// roles, units, acting officials and each SOP's steps as data. The config
// package fills it from config.toml; the flow reads it. It has no I/O.
package sop

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what a step asks of its role holder.
type Kind string

const (
	KindTask     Kind = "task"     // one person confirms or hands in work (SELESAI)
	KindApproval Kind = "approval" // SETUJU moves on; TOLAK/REVISI goes back
	KindCollect  Kind = "collect"  // one submission per unit
	KindMeeting  Kind = "meeting"  // mailflow sends the meeting invitation
)

// Kinds lists the valid kinds, for validation messages.
var Kinds = []Kind{KindTask, KindApproval, KindCollect, KindMeeting}

// Unit is a time unit the SOPs use for their Mutu Baku.
type Unit string

const (
	Minute Unit = "menit"
	Day    Unit = "hari"
	Week   Unit = "minggu"
)

// Waktu is a Mutu Baku time standard such as "10 menit" or "1 minggu". It
// counts working time: minutes within working hours, working days.
type Waktu struct {
	N    int
	Unit Unit
}

func (w Waktu) String() string { return fmt.Sprintf("%d %s", w.N, w.Unit) }

// ParseWaktu reads the SOP's own words: "10 menit", "2 hari", "1 minggu".
// English unit names are accepted too; units that SOPs do not use (jam,
// detik, bulan) are refused with a hint.
func ParseWaktu(s string) (Waktu, error) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) != 2 {
		return Waktu{}, fmt.Errorf("want a number and a unit, such as \"10 menit\", \"2 hari\" or \"1 minggu\"")
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 || n > 10000 {
		return Waktu{}, fmt.Errorf("%q is not a positive whole number", f[0])
	}
	switch f[1] {
	case "menit", "minute", "minutes":
		return Waktu{n, Minute}, nil
	case "hari", "day", "days":
		return Waktu{n, Day}, nil
	case "minggu", "pekan", "week", "weeks":
		return Waktu{n, Week}, nil
	case "jam", "hour", "hours":
		return Waktu{}, fmt.Errorf("the SOP counts in menit, hari and minggu; write %d menit instead of %s %s", n*60, f[0], f[1])
	}
	return Waktu{}, fmt.Errorf("unknown unit %q; use menit, hari or minggu", f[1])
}

// UnmarshalText lets TOML decode a Waktu directly, so a bad value is
// reported with its line.
func (w *Waktu) UnmarshalText(b []byte) error {
	v, err := ParseWaktu(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// MarshalText writes the SOP's words back.
func (w Waktu) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// Step is one row of the SOP table.
type Step struct {
	Number      int    // the SOP's own number (1..8, 11, 12, 13): never renumbered
	Kegiatan    string // the activity, as the SOP words it
	Role        string
	Kelengkapan string // input
	Waktu       Waktu
	Output      string
	Kind        Kind
	// RejectTo is the number of the earlier step a rejection goes back to
	// (approval steps); 0 when the step cannot be rejected.
	RejectTo int
	// Inputs are the documents attached to the assignment ("bahan",
	// "draft", ...). Produces names the document that an attachment in a
	// SELESAI/SETUJU reply becomes (or replaces).
	Inputs   []string
	Produces string
	// NeedsAttachment: SELESAI without an attachment does not count.
	NeedsAttachment bool
	// Report: the assignment carries the collect step's table (who sent
	// what, when): the readiness report of step 5.
	Report bool
	// MeetingFields: the reply may carry Tanggal/Waktu/Tempat of a meeting.
	MeetingFields bool
	// Template overrides the template chosen by Kind.
	Template string
	// Auto: a meeting step sends the invitations itself as soon as it is
	// entered, instead of asking its role holder to answer KIRIM.
	Auto bool
	// AfterMeeting: the step's assignment waits until the meeting has
	// ended (the notulen, the SOP's "Pencatatan dan Pendataan").
	AfterMeeting bool
}

// Meeting describes the meeting a meeting step sends the invitation for.
type Meeting struct {
	Title         string
	Minutes       int      // length of the meeting
	Place         string   // default place
	AttendeeRoles []string // whole team = holders of these roles
	DefaultAfter  Waktu    // when step 12 names no date: this long after it
	DefaultTime   int      // minutes after midnight, e.g. 9*60
}

// Trigger is the rule that recognises the mail that starts a run.
type Trigger struct {
	FromRoles   []string // the sender must hold one of these roles...
	FromAddrs   []string // ...or be one of these addresses (e.g. an e-office notifier)
	SubjectAll  []string // every word must be in the subject (case-insensitive)
	SubjectAny  []string // at least one of these in subject or body
	ForwardedOK bool     // a forward of the disposition by an office address counts
}

// SOP is one standard operating procedure.
type SOP struct {
	ID     string // short key, e.g. "lakip"
	Tag    string // subject tag, e.g. "LAKIP"
	Number string // "SOP.017.SEKRE"
	Name   string
	Meta   Meta
	Trigger
	Steps   []Step
	Meeting Meeting
	// Next is the SOP a finished run starts (the SOP's "Keterkaitan").
	Next Next
}

// Next chains SOPs: when a run of this SOP finishes, a run of SOP starts
// with the named documents of the finished run.
type Next struct {
	SOP     string   // the next SOP's ID; "" = no link
	Name    string   // as the SOP names it ("SOP Penyusunan LAKIP")
	Enabled bool     // false: named but off (the next SOP is not configured yet)
	Docs    []string // documents passed on ("draft", "notulen")
}

// MeetingStep returns the step that sends the meeting invitation.
func (s *SOP) MeetingStep() (*Step, int, bool) {
	for i := range s.Steps {
		if s.Steps[i].Kind == KindMeeting {
			return &s.Steps[i], i, true
		}
	}
	return nil, -1, false
}

// Meta is the SOP document's header, kept for reports and the audit trail.
type Meta struct {
	TanggalPembuatan, TanggalRevisi, TanggalEfektif string
	DisahkanOleh                                    string
	DasarHukum, Kualifikasi, Keterkaitan, Peralatan []string
	Peringatan, Pencatatan                          string
}

// Step returns the step with the SOP number n.
func (s *SOP) Step(n int) (*Step, int, bool) {
	for i := range s.Steps {
		if s.Steps[i].Number == n {
			return &s.Steps[i], i, true
		}
	}
	return nil, -1, false
}

// Person is an official.
type Person struct {
	Email   string // lower-case; the key
	Name    string
	NIP     string
	Jabatan string
	Roles   []string
	Unit    string
	// Salutation: "Bapak" or "Ibu"; "Bapak/Ibu" when unknown.
	Salutation string
}

// Has reports whether p holds role r in their own right.
func (p *Person) Has(r string) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Acting is a Plh./Plt. appointment: Person acts for Role (for Unit's head
// when Role is the unit role) from From to To inclusive (dates in the
// office's zone).
type Acting struct {
	Person string // email
	Role   string
	Unit   string // for a unit head role, which unit; else ""
	Title  string // "Plh." or "Plt."
	From   time.Time
	To     time.Time // the last day, inclusive
}

// Covers reports whether the appointment is in force at t.
func (a Acting) Covers(t time.Time) bool {
	d := t.In(a.From.Location())
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location())
	return !day.Before(a.From) && !day.After(a.To)
}

// UnitDef is a bidang or subbagian.
type UnitDef struct {
	ID   string
	Name string
	Head string // email
}

// Role is one of the SOP's executor columns.
type Role struct {
	ID       string
	Name     string
	Superior string // the role escalations go to; "" at the top
}

// Reminders says how late officials are chased.
type Reminders struct {
	Interval      Waktu // between reminders after the deadline
	Max           int   // reminders per step and person
	EscalateAfter Waktu // after the deadline, escalate to the superior role
}

// Office is everything the flow needs to know about the office.
type Office struct {
	Name    string
	Address string
	Domain  string
	Mailbox string // the office address; Reply-To of our mail
	Admin   string // the admin's address, for delivery alerts
	People  []Person
	Acting  []Acting
	Units   []UnitDef
	Roles   []Role
	Reminders
	SOPs []SOP
	// Naskah is the kop, the signers and the letter numbering.
	Naskah Naskah
}

// Person returns the person with this address (case-insensitive).
func (o *Office) Person(email string) (*Person, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	for i := range o.People {
		if o.People[i].Email == email {
			return &o.People[i], true
		}
	}
	return nil, false
}

// Role returns the role definition.
func (o *Office) Role(id string) (*Role, bool) {
	for i := range o.Roles {
		if o.Roles[i].ID == id {
			return &o.Roles[i], true
		}
	}
	return nil, false
}

// SOP returns the SOP with this ID.
func (o *Office) SOP(id string) (*SOP, bool) {
	for i := range o.SOPs {
		if o.SOPs[i].ID == id {
			return &o.SOPs[i], true
		}
	}
	return nil, false
}

// Unit returns the unit definition.
func (o *Office) Unit(id string) (*UnitDef, bool) {
	for i := range o.Units {
		if o.Units[i].ID == id {
			return &o.Units[i], true
		}
	}
	return nil, false
}
