// Package reply understands a mail that an official sent back: it turns
// raw MIME into the new text the official wrote, the command in it
// (SETUJU, TOLAK…, SELESAI…), the attachments (streamed to the blob
// store), what kind of mail it is (reply, auto-reply, bounce, calendar
// reply, forward) and which run and step it belongs to. It decides
// nothing about trust beyond reporting the evidence (Auth, From).
package reply

import (
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
	"github.com/bangkatengah/mailflow/mailflow/reply/idate"
	"github.com/bangkatengah/mailflow/mailflow/reply/trim"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Kind is what sort of mail a message is.
type Kind string

// The kinds.
const (
	KindReply         Kind = "reply"
	KindAutoReply     Kind = "auto_reply"
	KindBounce        Kind = "bounce"
	KindCalendarReply Kind = "calendar_reply"
	KindForward       Kind = "forward"
	KindOther         Kind = "other"
)

// Command is what the new text asks for; see package grammar.
type Command = grammar.Command

// The commands.
const (
	CmdNone    = grammar.None
	CmdApprove = grammar.Approve
	CmdReject  = grammar.Reject
	CmdDone    = grammar.Done
	CmdStatus  = grammar.Status
	CmdHelp    = grammar.Help
	// CmdUnclear: the text mixes an approval with a negation, a hedge or a
	// rejection, or its text/plain and HTML alternatives disagree. Nothing
	// may be applied; Parsed.UnclearWhy says why.
	CmdUnclear = grammar.Unclear
)

// Options configure Parse. The zero value works: nothing is stored, every
// attachment is accepted, and times are read in WIB.
type Options struct {
	Blobs             *blob.Store    // nil: hash and count attachments, store nothing
	MaxAttachment     int64          // bytes; 0 = no limit
	AllowedTypes      []string       // "application/pdf", "application/vnd.openxmlformats-officedocument.*"; empty = all
	Now               time.Time      // anchors relative dates ("besok pukul 10.00")
	Loc               *time.Location // default zone (Asia/Jakarta); WIB/WITA/WIT in text override
	TrustedAuthServID string         // authserv-id whose Authentication-Results count; "" = none
	// Tags are the SOPs' subject tags ("LAKIP"): a new message (no
	// In-Reply-To, no quote) with a command and a tag in its subject is a
	// reply; without one it is "other".
	Tags []string
}

// Attachment is one attachment, stored (when Options.Blobs is set) under
// its sha256. Filename is metadata only, never a path.
type Attachment struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Inline      bool // sent inline (Apple Mail does so for PDFs); still counts
}

// RejectedAttachment is an attachment that was not accepted, and why.
type RejectedAttachment struct {
	Filename    string
	ContentType string
	Size        int64 // bytes read before giving up (at most the limit + 1)
	Reason      string
}

// Meeting is a meeting date, time and place read from the new text.
type Meeting = idate.Meeting

// Bounce describes a delivery status notification (RFC 3464).
type Bounce struct {
	OriginalMessageID string
	Recipient         string
	Permanent         bool
	Status            string // "5.1.1"
	Diagnostic        string
}

// AuthVerdict is what the trusted Authentication-Results header says.
type AuthVerdict struct {
	Trusted     bool     // a header from the trusted authserv-id was found
	DKIM        bool     // some DKIM signature passed (for any domain: do not trust alone)
	DKIMDomains []string // the d= of the passing signatures
	DMARC       bool     // dmarc=pass (for any header.from: do not trust alone)
	SPF         bool
	// DKIMAligned: a passing DKIM signature's header.d is the From domain
	// or its organisational domain (public suffix list), and the message
	// has exactly one From address. Trust this, not DKIM.
	DKIMAligned bool
	// DMARCAligned: dmarc=pass with header.from equal to the From domain,
	// and exactly one From address. Trust this, not DMARC.
	DMARCAligned bool

	dmarcFrom []string // header.from of the passing DMARC results, for align
}

// Parsed is everything Parse learnt about one message.
type Parsed struct {
	Kind       Kind
	Command    Command
	UnclearWhy string // why Command is CmdUnclear (English, for logs)
	// Send is the reply read as KIRIM at the meeting step (grammar.Send),
	// through the same checks as an approval (text/plain against HTML,
	// text after the signature, hidden HTML text): CmdApprove, CmdUnclear,
	// or CmdNone when the reply does not start with KIRIM. The caller uses
	// it only where KIRIM is asked for; Command is unaffected.
	Send      Command
	SendNotes string
	Notes     string
	Text      string // the new text the sender wrote

	Attachments  []Attachment
	Rejected     []RejectedAttachment
	InlineImages []Attachment // inline images with a Content-ID (signature logos): not work

	MessageID  string
	InReplyTo  string
	References []string
	Subject    string
	// FromSubject says Text is what the sender typed before the Subject's
	// "Re:", the body holding nothing new.
	FromSubject bool
	From        string // bare lower-case address (the first one)
	FromName    string
	FromCount   int // From addresses over all From fields: trust the sender only when 1
	Date        time.Time

	Refs []token.Ref // correlation candidates, best first, deduplicated
	Ours bool        // carries token.Header: our own mail, never answer it

	PartStat    string // calendar replies, and plain-text RSVPs ("Hadir") of kind reply: ACCEPTED, DECLINED, TENTATIVE, DELEGATED
	Delegate    string // who comes instead: a plain-text "Diwakilkan oleh …", or a calendar DELEGATED-TO
	Attendee    string
	CalendarUID string

	Meeting    *Meeting
	Bounce     *Bounce
	Auth       AuthVerdict
	AutoReason string // why it is an auto-reply
}

// TrimText returns the new text of a plain-text reply body.
func TrimText(body string) string { return trim.Text(body) }

// TrimHTML returns the new text of an HTML reply body.
func TrimHTML(html string) string { return trim.HTML(html) }

// ParseCommand reads the command and notes of the new text.
func ParseCommand(newText string) (Command, string) { return grammar.Parse(newText) }

// ParseMeeting reads a meeting from text; nil without error when none.
func ParseMeeting(text string, now time.Time, loc *time.Location) (*Meeting, error) {
	return idate.Parse(text, now, loc)
}
