// Package mailout performs the flow's send effects: it composes each
// outbox mail (text and HTML from mailflow/render, the iTIP invitation
// from mailflow/invite, attachments streamed from the blob store), submits
// it over SMTP, retries transient failures on a backoff schedule committed
// before every try, and reports permanent failures back to the flow.
package mailout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/invite"
	"github.com/bangkatengah/mailflow/mailflow/letter"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/token"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// Blobs opens attachment content by sha256; *blob.Store is one.
type Blobs interface {
	Open(sum string) (*os.File, error)
}

// Office is who our mail comes from.
type Office struct {
	Name    string // display name in From and Reply-To
	Mailbox string // the office address: From, envelope sender, Reply-To
	// PlusAddressing makes Reply-To local+<token>-<step>r<round>@domain:
	// the same ref, round included, as the mail's Message-ID.
	PlusAddressing bool
}

// Composer turns an outbox mail into a MIME message.
type Composer struct {
	Renderer *render.Renderer
	Blobs    Blobs // nil: mails with attachments fail to compose
	Office   Office
	Loc      *time.Location // the office zone for dates in bodies and headers
	// Letters issues the Undangan letter (PDF) that meeting mail carries;
	// nil: no letter.
	Letters *letter.Issuer
	// Cal sets the invitation's reminder one working day before the
	// meeting; nil: one calendar day before.
	Cal *workcal.Calendar
}

// letterTemplates are the kinds of mail that carry the meeting's letter
// besides those with an iTIP part: the invitation, its cancellation, and
// the step-13 request to send it (KIRIM), which shows the same letter (same
// nomor and date) for checking first. Add a template here to attach it.
var letterTemplates = []string{flow.TplInvitation, flow.TplCancel, flow.TplSend}

func carriesLetter(m *flow.Mail) bool {
	return m.Invite != nil || slices.Contains(letterTemplates, m.Template)
}

// LetterFile issues (or finds again, by the meeting's UID and SEQUENCE) the
// letter of m's meeting and returns it as an attachment with its nomor.
// created is the letter's date when first issued: pass the outbox row's
// creation time. It returns nil, "" for a mail about no meeting or a
// Composer without Letters. An error wrapping ErrCompose is permanent; any
// other (the store) is worth retrying.
func (c *Composer) LetterFile(m *flow.Mail, created time.Time) (*mail.File, *letter.Letter, error) {
	if c.Letters == nil {
		return nil, nil, nil
	}
	l, ok, err := c.Letters.ForMail(context.Background(), m, created)
	if errors.Is(err, letter.ErrRender) {
		return nil, nil, fmt.Errorf("%w %s: %w", ErrCompose, m.MessageID, err)
	}
	if err != nil || !ok {
		return nil, nil, err
	}
	pdf := l.PDF
	return &mail.File{
		Name:        l.Filename,
		ContentType: "application/pdf",
		Header:      textproto.MIMEHeader{},
		Writer:      func(w io.Writer) (int64, error) { return io.Copy(w, bytes.NewReader(pdf)) },
	}, l, nil
}

// ErrCompose marks a mail that cannot be composed; trying again does not
// help (a template or a missing attachment must be fixed first).
var ErrCompose = errors.New("cannot compose mail")

// Compose builds the message for m. created is its Date (and the
// invitation's DTSTAMP): pass the outbox row's creation time so that every
// retry sends the same message. Attachments are not read here: they are
// streamed from the blob store each time the message is written.
func (c *Composer) Compose(m *flow.Mail, created time.Time) (*mail.Msg, error) {
	fail := func(format string, args ...any) (*mail.Msg, error) {
		return nil, fmt.Errorf("%w %s: %s", ErrCompose, m.MessageID, fmt.Sprintf(format, args...))
	}
	if len(m.To) == 0 {
		return fail("no recipients")
	}
	loc := c.Loc
	if loc == nil {
		loc = time.Local
	}
	var letterFile *mail.File
	if carriesLetter(m) {
		f, l, err := c.LetterFile(m, created)
		if err != nil {
			return nil, fmt.Errorf("letter of %s: %w", m.MessageID, err)
		}
		if l != nil {
			letterFile = f
			cp := *m
			cp.Data.Letter = &flow.LetterRef{Nomor: l.Nomor, Filename: l.Filename, Date: l.Doc.Date, Kind: l.Kind,
				Signer: l.Doc.Signer.Name, Agenda: l.Doc.Acara}
			m = &cp
		}
	}
	subject, text, html, err := c.Renderer.Render(m, loc)
	if err != nil {
		return fail("%v (fix the template and restart)", err)
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(created.In(loc))
	if err := msg.FromFormat(c.Office.Name, c.Office.Mailbox); err != nil {
		return fail("from %s: %v (check office.mailbox in the config)", c.Office.Mailbox, err)
	}
	if err := msg.EnvelopeFrom(c.Office.Mailbox); err != nil {
		return fail("envelope sender: %v", err)
	}
	for _, r := range m.To {
		if err := msg.AddToFormat(r.Name, r.Email); err != nil {
			return fail("recipient %s: %v (check the address in the config)", r.Email, err)
		}
	}
	for _, r := range m.Cc {
		if err := msg.AddCcFormat(r.Name, r.Email); err != nil {
			return fail("cc %s: %v", r.Email, err)
		}
	}
	ref, _ := token.FromMessageID(m.MessageID)
	replyTo := c.Office.Mailbox
	if c.Office.PlusAddressing && ref.Token != "" {
		replyTo = token.PlusAddress(c.Office.Mailbox, ref)
	}
	if err := msg.ReplyToFormat(c.Office.Name, replyTo); err != nil {
		return fail("reply-to %s: %v", replyTo, err)
	}
	msg.Subject(subject)
	setThreading(msg, m)
	if ref.Token != "" {
		msg.SetGenHeader(mail.Header(token.Header), fmt.Sprintf("%s; step=%d; round=%d; kind=%s", ref.Token, m.Step, ref.Round, m.Template))
	} else {
		// Mail of no run (to the admin) is ours all the same: never answered.
		msg.SetGenHeader(mail.Header(token.Header), "kind="+m.Template)
	}
	if m.Automatic {
		// RFC 3834 §5: machines must not answer this; Exchange honours the other.
		msg.SetGenHeader("Auto-Submitted", "auto-generated")
		msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	}
	msg.SetBodyString(mail.TypeTextPlain, text)
	msg.AddAlternativeString(mail.TypeTextHTML, html)
	if o := c.Renderer.Office(); o != nil && o.Naskah.Kop.Logo != "" {
		// The kop's emblem, shown by the HTML part as cid:kop-logo. The
		// file is checked when the config loads; if it has gone since, the
		// kop shows without it rather than the mail failing.
		if b, err := os.ReadFile(o.Naskah.Kop.Logo); err == nil {
			ct := "image/png"
			if l := strings.ToLower(o.Naskah.Kop.Logo); strings.HasSuffix(l, ".jpg") || strings.HasSuffix(l, ".jpeg") {
				ct = "image/jpeg"
			}
			msg.EmbedReader("kop."+strings.TrimPrefix(ct, "image/"), bytes.NewReader(b),
				mail.WithFileContentID("<kop-logo>"), mail.WithFileContentType(mail.ContentType(ct)))
		}
	}
	var icsFile *mail.File
	if m.Invite != nil {
		ics, err := invite.Build(m.Invite, invite.Options{Loc: loc, Stamp: created,
			Description: c.description(m), Alarm: c.alarm(m.Invite)})
		if err != nil {
			return fail("%v", err)
		}
		// RFC 6047 §2.4: the iTIP object as an alternative body part, its
		// method in the Content-Type; base64, never quoted-printable (some
		// clients reject a soft line break inside an iCalendar line).
		msg.AddAlternativeString(mail.ContentType("text/calendar; method="+invite.Method(m.Invite)), string(ics),
			mail.WithPartEncoding(mail.EncodingB64))
		// A copy as a file for webmail that ignores the inline part.
		icsFile = &mail.File{Name: "invite.ics", ContentType: "application/ics", Header: textproto.MIMEHeader{},
			Writer: func(w io.Writer) (int64, error) { return io.Copy(w, bytes.NewReader(ics)) }}
	}
	files := make([]*mail.File, 0, len(m.Attachments))
	for _, a := range m.Attachments {
		f, err := c.attachment(a)
		if err != nil {
			return fail("%v", err)
		}
		files = append(files, f)
	}
	if letterFile != nil {
		files = append(files, letterFile)
	}
	if icsFile != nil {
		files = append(files, icsFile)
	}
	msg.SetAttachments(files)
	return msg, nil
}

// setThreading makes each step one thread: References name the step's
// thread root and, for answers, the official's message (RFC 5322 §3.6.4).
func setThreading(msg *mail.Msg, m *flow.Mail) {
	var refs []string
	if m.Thread != "" && m.Thread != m.MessageID {
		refs = append(refs, "<"+m.Thread+">")
	}
	parent := m.Thread
	if m.InReplyTo != "" {
		parent = strings.Trim(m.InReplyTo, "<> ")
		refs = append(refs, "<"+parent+">")
	}
	if parent != "" && parent != m.MessageID {
		msg.SetGenHeader(mail.HeaderInReplyTo, "<"+parent+">")
	}
	if len(refs) > 0 {
		// One value: go-mail joins several with commas, References wants spaces.
		msg.SetGenHeader(mail.HeaderReferences, strings.Join(refs, " "))
	}
}

// attachment streams a blob: opened when the message is written, closed
// right after, so that a 25 MB file is never held in memory.
func (c *Composer) attachment(a flow.Attachment) (*mail.File, error) {
	if c.Blobs == nil {
		return nil, fmt.Errorf("attachment %s: no blob store configured", a.Filename)
	}
	f, err := c.Blobs.Open(a.SHA256)
	if err != nil {
		return nil, fmt.Errorf("attachment %s: %v (the file is missing from the data directory)", a.Filename, err)
	}
	f.Close()
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	sum := a.SHA256
	return &mail.File{
		Name:        a.Filename,
		ContentType: mail.ContentType(ct),
		Header:      textproto.MIMEHeader{},
		Writer: func(w io.Writer) (int64, error) {
			f, err := c.Blobs.Open(sum)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return io.Copy(w, f)
		},
	}, nil
}

// description is the event's DESCRIPTION: the agenda, the letter's nomor,
// and the run with its reference line.
func (c *Composer) description(m *flow.Mail) string {
	var b strings.Builder
	if l := m.Data.Letter; l != nil {
		if l.Agenda != "" {
			fmt.Fprintf(&b, "Acara: %s\n", l.Agenda)
		}
		fmt.Fprintf(&b, "Surat Nomor %s tanggal %s\n", l.Nomor, workcal.Tanggal(l.Date))
	}
	fmt.Fprintf(&b, "%s. %s", m.Data.RunTitle, m.Data.Ref)
	return b.String()
}

// alarm is one working day before the meeting, at the same time of day.
func (c *Composer) alarm(inv *flow.Invite) time.Time {
	if invite.Method(inv) != invite.MethodRequest {
		return time.Time{}
	}
	if c.Cal == nil {
		return inv.Start.AddDate(0, 0, -1)
	}
	day := c.Cal.PrevWorkingDay(inv.Start)
	s := inv.Start.In(c.Cal.Loc)
	return time.Date(day.Year(), day.Month(), day.Day(), s.Hour(), s.Minute(), 0, 0, c.Cal.Loc)
}
