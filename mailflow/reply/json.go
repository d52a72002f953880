package reply

import (
	"fmt"
	"time"
)

// JSON is the stable machine-readable form of Parsed that
// `mailflow parse -json` prints and that outside tests rely on. Keep the
// names; add fields, never rename them.
type JSON struct {
	Kind        string           `json:"kind"`
	Command     string           `json:"command"`
	Notes       string           `json:"notes"`
	Text        string           `json:"text"`
	Attachments []JSONAttachment `json:"attachments"`
	InReplyTo   string           `json:"in_reply_to"`
	PartStat    string           `json:"partstat"`
	Meeting     *JSONMeeting     `json:"meeting"`

	Rejected  []JSONRejected `json:"rejected,omitempty"`
	MessageID string         `json:"message_id,omitempty"`
	Subject   string         `json:"subject,omitempty"`
	// FromSubject: the text was typed in the Subject, the body empty.
	FromSubject bool        `json:"from_subject,omitempty"`
	From        string      `json:"from,omitempty"`
	FromName    string      `json:"from_name,omitempty"`
	Date        string      `json:"date,omitempty"`
	Refs        []string    `json:"refs,omitempty"` // "<token>/<step>", best first
	Ours        bool        `json:"ours,omitempty"`
	Attendee    string      `json:"attendee,omitempty"`
	AutoReason  string      `json:"auto_reason,omitempty"`
	Bounce      *JSONBounce `json:"bounce,omitempty"`
	Auth        *JSONAuth   `json:"auth,omitempty"`
	Delegate    string      `json:"delegate,omitempty"`    // text RSVP "Diwakilkan oleh …"
	UnclearWhy  string      `json:"unclear_why,omitempty"` // why command is "unclear"
	FromCount   int         `json:"from_count"`            // From addresses; trust only 1
}

// JSONAttachment is one accepted attachment.
type JSONAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// JSONRejected is one refused attachment and why.
type JSONRejected struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Reason      string `json:"reason"`
}

// JSONMeeting is a meeting; start is RFC 3339.
type JSONMeeting struct {
	Start   string `json:"start"`
	Place   string `json:"place"`
	HasTime bool   `json:"has_time"`
}

// JSONBounce describes a bounce.
type JSONBounce struct {
	OriginalMessageID string `json:"original_message_id"`
	Recipient         string `json:"recipient"`
	Permanent         bool   `json:"permanent"`
	Status            string `json:"status"`
	Diagnostic        string `json:"diagnostic,omitempty"`
}

// JSONAuth is the trusted Authentication-Results verdict.
type JSONAuth struct {
	DKIM        bool     `json:"dkim"`
	DKIMDomains []string `json:"dkim_domains,omitempty"`
	DMARC       bool     `json:"dmarc"`
	SPF         bool     `json:"spf"`
	// aligned with the From domain: what a trust decision may use
	DKIMAligned  bool `json:"dkim_aligned"`
	DMARCAligned bool `json:"dmarc_aligned"`
}

// ToJSON returns the JSON form of p.
func (p *Parsed) ToJSON() JSON {
	j := JSON{
		Kind: string(p.Kind), Command: string(p.Command), Notes: p.Notes, Text: p.Text,
		Attachments: []JSONAttachment{}, InReplyTo: p.InReplyTo, PartStat: p.PartStat,
		MessageID: p.MessageID, Subject: p.Subject, FromSubject: p.FromSubject, From: p.From, FromName: p.FromName,
		Ours: p.Ours, Attendee: p.Attendee, AutoReason: p.AutoReason,
		Delegate: p.Delegate, UnclearWhy: p.UnclearWhy, FromCount: p.FromCount,
	}
	for _, a := range p.Attachments {
		j.Attachments = append(j.Attachments, JSONAttachment{a.Filename, a.ContentType, a.Size, a.SHA256})
	}
	for _, r := range p.Rejected {
		j.Rejected = append(j.Rejected, JSONRejected{r.Filename, r.ContentType, r.Size, r.Reason})
	}
	if !p.Date.IsZero() {
		j.Date = p.Date.Format(time.RFC3339)
	}
	for _, r := range p.Refs {
		j.Refs = append(j.Refs, fmt.Sprintf("%s/%d", r.Token, r.Step))
	}
	if p.Meeting != nil {
		j.Meeting = &JSONMeeting{Start: p.Meeting.Start.Format(time.RFC3339), Place: p.Meeting.Place, HasTime: p.Meeting.HasTime}
	}
	if b := p.Bounce; b != nil {
		j.Bounce = &JSONBounce{b.OriginalMessageID, b.Recipient, b.Permanent, b.Status, b.Diagnostic}
	}
	if p.Auth.Trusted {
		j.Auth = &JSONAuth{p.Auth.DKIM, p.Auth.DKIMDomains, p.Auth.DMARC, p.Auth.SPF, p.Auth.DKIMAligned, p.Auth.DMARCAligned}
	}
	return j
}
