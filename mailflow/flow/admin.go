package flow

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// MaxQuarantineItems bounds how many messages one quarantine alert
// describes; the count says how many there were.
const MaxQuarantineItems = 5

// QuarantineInfo is what a quarantine alert reports.
type QuarantineInfo struct {
	Count   int              `json:"count"`             // messages quarantined since the last alert
	Items   []QuarantineItem `json:"items"`             // the first MaxQuarantineItems of them
	Keyword string           `json:"keyword,omitempty"` // the IMAP keyword they now carry
}

// QuarantineItem is one quarantined message. From, Subject and Error come
// from hostile mail: QuarantineAlert makes them inert.
type QuarantineItem struct {
	At        time.Time `json:"at"`
	Mailbox   string    `json:"mailbox"`
	UID       uint32    `json:"uid"`
	MessageID string    `json:"message_id,omitempty"`
	From      string    `json:"from"`
	Subject   string    `json:"subject"`
	Attempts  int       `json:"attempts"`
	Permanent bool      `json:"permanent,omitempty"` // false: transient errors, retried until the limit
	Error     string    `json:"error"`
}

// QuarantineAlert is the mail that tells the office's admin that count
// incoming messages were quarantined, describing the first few of items.
// It belongs to no run: the engine queues it with AdminMail. It is
// automatic (Auto-Submitted) but goes at any hour. nil when the office has
// no admin.
func QuarantineAlert(o *sop.Office, count int, items []QuarantineItem, keyword string) *Mail {
	to := adminOf(o)
	if to == nil {
		return nil
	}
	items = items[:min(len(items), MaxQuarantineItems)]
	info := &QuarantineInfo{Count: max(count, len(items)), Keyword: Inert(keyword, 60)}
	for _, it := range items {
		it.Mailbox, it.MessageID = Inert(it.Mailbox, 100), Inert(it.MessageID, 200)
		it.From, it.Subject, it.Error = Inert(it.From, 200), Inert(it.Subject, 200), Inert(it.Error, 500)
		info.Items = append(info.Items, it)
	}
	return &Mail{
		Template:  TplQuarantine,
		To:        []Recipient{{Email: to.Email, Name: to.Name}},
		Automatic: true,
		AnyHour:   true,
		Data: MailData{Salutation: to.Salutation, RecipientName: to.Name, Jabatan: to.Jabatan,
			Quarantine: info},
	}
}

// adminOf is the admin as a person: from the people list when listed.
func adminOf(o *sop.Office) *sop.Person {
	if o == nil || strings.TrimSpace(o.Admin) == "" {
		return nil
	}
	if p, ok := o.Person(o.Admin); ok {
		return p
	}
	return &sop.Person{Email: strings.TrimSpace(o.Admin), Name: "Admin mailflow", Salutation: "Bapak/Ibu"}
}

// Inert makes text from a stranger safe to show on one line of a text
// body: invalid UTF-8, control characters and invisible format characters
// (bidi overrides that reorder what the reader sees, zero-width marks)
// become U+FFFD, line breaks and tabs a space, runs of spaces one, and the
// result is cut to n runes. HTML escaping is the template's job.
func Inert(s string, n int) string {
	var b strings.Builder
	space, runes := false, 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			r = '\uFFFD'
		}
		if need := 1 + b2i(space); runes+need > n {
			b.WriteString("…")
			return b.String()
		}
		if space {
			b.WriteByte(' ')
			runes++
			space = false
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
