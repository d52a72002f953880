package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/smtp"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"
)

// A local copy of the idea of mailflow/demo's simulated officials (whose
// type is unexported): a person who reads their INBOX over IMAP and
// answers over SMTP, quoting what they answer. Unlike the demo's scripted
// story, these answer generically, whatever arrives: approval steps
// SETUJU, anything asking for KIRIM KIRIM, other tasks SELESAI with a PDF,
// an invitation with an iTIP REPLY ACCEPTED. So the test keeps working
// when the SOP's course changes.

type official struct {
	name, addr, pw     string
	imapAddr, smtpAddr string
	office             string
	lastUID            imap.UID
	uidValidity        uint32
	answered           map[string]bool    // Message-IDs answered
	c                  *imapclient.Client // kept between polls
}

// inMail is one message in an official's INBOX.
type inMail struct {
	To        string // the official
	UID       imap.UID
	MessageID string
	Subject   string
	InReplyTo string
	Kind      string // X-Mailflow kind=…, "" if not ours
	Token     string
	Step      int
	Round     int
	Text      string
	Calendar  string
	Seen      time.Time // when the test first saw it
}

// fetchNew returns the mail that arrived since the last call. It keeps
// one IMAP connection (NOOP to see new mail, RFC 3501 §6.1.2) and opens a
// new one after an error (the daemon, and the embedded server, restart).
func (o *official) fetchNew() ([]*inMail, error) {
	msgs, err := o.fetch()
	if err != nil && o.c != nil {
		o.c.Close()
		o.c = nil
	}
	return msgs, err
}

func (o *official) fetch() ([]*inMail, error) {
	if o.c == nil {
		c, err := imapclient.DialInsecure(o.imapAddr, nil)
		if err != nil {
			return nil, err
		}
		o.c = c
		if err := c.Login(o.addr, o.pw).Wait(); err != nil {
			return nil, err
		}
		sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return nil, err
		}
		if o.uidValidity != 0 && sel.UIDValidity != o.uidValidity {
			return nil, fmt.Errorf("%s: UIDVALIDITY changed from %d to %d: the mailbox did not survive a restart", o.addr, o.uidValidity, sel.UIDValidity)
		}
		o.uidValidity = sel.UIDValidity
	} else if err := o.c.Noop().Wait(); err != nil {
		return nil, err
	}
	mb := o.c.Mailbox()
	if mb == nil {
		return nil, fmt.Errorf("%s: the connection lost its mailbox", o.addr)
	}
	if mb.NumMessages == 0 {
		return nil, nil
	}
	// UID n:* names the last message even when nothing is newer: ask for
	// UIDs first, then the bodies of the new ones.
	heads, err := o.c.Fetch(imap.UIDSet{imap.UIDRange{Start: o.lastUID + 1, Stop: 0}}, &imap.FetchOptions{UID: true}).Collect()
	if err != nil {
		return nil, err
	}
	var set imap.UIDSet
	for _, h := range heads {
		if h.UID > o.lastUID {
			set.AddNum(h.UID)
		}
	}
	if len(set) == 0 {
		return nil, nil
	}
	bs := &imap.FetchItemBodySection{Peek: true}
	msgs, err := o.c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{bs}}).Collect()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var out []*inMail
	for _, m := range msgs {
		if m.UID <= o.lastUID {
			continue
		}
		r, err := parseIn(m.FindBodySection(bs))
		if err != nil {
			return nil, fmt.Errorf("%s uid %d: %w", o.addr, m.UID, err)
		}
		r.UID, r.To, r.Seen = m.UID, o.addr, now
		out = append(out, r)
	}
	for _, r := range out {
		o.lastUID = max(o.lastUID, r.UID)
	}
	return out, nil
}

var xmf = regexp.MustCompile(`^(\w+); step=(\d+); round=(\d+); kind=(\w+)`)

func parseIn(raw []byte) (*inMail, error) {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	r := &inMail{}
	r.MessageID, _ = mr.Header.MessageID()
	r.Subject, _ = mr.Header.Subject()
	if ids, _ := mr.Header.MsgIDList("In-Reply-To"); len(ids) > 0 {
		r.InReplyTo = ids[0]
	}
	v := mr.Header.Get("X-Mailflow")
	if m := xmf.FindStringSubmatch(v); m != nil {
		r.Token, r.Kind = m[1], m[4]
		fmt.Sscan(m[2], &r.Step)
		fmt.Sscan(m[3], &r.Round)
	} else if k, ok := strings.CutPrefix(v, "kind="); ok {
		r.Kind = k
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			break
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			ct, _, _ := h.ContentType()
			b, _ := io.ReadAll(p.Body)
			switch {
			case ct == "text/plain" && r.Text == "":
				r.Text = string(b)
			case ct == "text/calendar":
				r.Calendar = string(b)
			}
		}
	}
	return r, nil
}

// asksKirim: the mail asks for the word KIRIM as the answer.
var asksKirim = regexp.MustCompile(`\bKIRIM\b`)

// answer decides the reply to m: body, attachment, or an RSVP; ok is
// false for mail that needs no answer (receipts, notices, summaries).
func answer(m *inMail) (body string, attach bool, rsvp bool, ok bool) {
	switch {
	case m.Kind == "invitation":
		return "", false, true, true
	case !strings.HasPrefix(m.Kind, "assign_"):
		return "", false, false, false
	case asksKirim.MatchString(m.Text):
		return "KIRIM", false, false, true
	case m.Kind == "assign_approval":
		return "SETUJU", false, false, true
	default:
		return "SELESAI, terlampir.", true, false, true
	}
}

// reply answers m over SMTP and returns when the server accepted it.
func (o *official) reply(ctx context.Context, m *inMail, body string, attach bool) (time.Time, string, error) {
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Name: "Sekretariat", Address: o.office}})
	h.SetSubject("Re: " + m.Subject)
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	h.SetMsgIDList("In-Reply-To", []string{m.MessageID})
	h.SetMsgIDList("References", []string{m.MessageID})
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return time.Time{}, "", err
	}
	var th mail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, err := w.CreateSingleInline(th)
	if err != nil {
		return time.Time{}, "", err
	}
	fmt.Fprintf(tw, "%s\r\n\r\n%s\r\n\r\n%s menulis:\r\n%s", body, o.name, o.office, quote(m.Text))
	tw.Close()
	if attach {
		var ah mail.AttachmentHeader
		ah.SetContentType("application/pdf", nil)
		name := fmt.Sprintf("langkah_%d_%s.pdf", m.Step, strings.SplitN(o.addr, "@", 2)[0])
		ah.SetFilename(name)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return time.Time{}, "", err
		}
		aw.Write(pdf(name))
		aw.Close()
	}
	w.Close()
	id, _ := h.MessageID()
	at, err := o.send(ctx, buf.Bytes())
	return at, id, err
}

// rsvp accepts an invitation with an iTIP REPLY (RFC 5546 §3.2.3).
func (o *official) rsvp(ctx context.Context, inv *inMail) (time.Time, string, error) {
	field := func(name string) string {
		ics := strings.ReplaceAll(strings.ReplaceAll(inv.Calendar, "\r\n ", ""), "\n ", "")
		for _, l := range strings.Split(ics, "\n") {
			l = strings.TrimRight(l, "\r")
			if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
				return l[strings.IndexByte(l, ':')+1:]
			}
		}
		return ""
	}
	seq := field("SEQUENCE")
	if seq == "" {
		seq = "0"
	}
	ics := strings.Join([]string{"BEGIN:VCALENDAR", "PRODID:-//mailflow e2e//Klien Kalender//ID", "VERSION:2.0", "METHOD:REPLY",
		"BEGIN:VEVENT", "UID:" + field("UID"), "DTSTAMP:" + time.Now().UTC().Format("20060102T150405Z"), "SEQUENCE:" + seq,
		"ORGANIZER:mailto:" + o.office, "ATTENDEE;PARTSTAT=ACCEPTED;CN=" + o.name + ":mailto:" + o.addr,
		"SUMMARY:Diterima: Rapat Tim", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Address: o.office}})
	h.SetSubject("Diterima: " + strings.TrimPrefix(inv.Subject, "Undangan: "))
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	h.SetMsgIDList("In-Reply-To", []string{inv.MessageID})
	h.SetMsgIDList("References", []string{inv.MessageID})
	w, err := mail.CreateInlineWriter(&buf, h)
	if err != nil {
		return time.Time{}, "", err
	}
	for _, part := range []struct {
		ct     string
		params map[string]string
		body   string
	}{
		{"text/plain", map[string]string{"charset": "utf-8"}, o.name + " telah menjawab undangan ini: Diterima."},
		{"text/calendar", map[string]string{"charset": "utf-8", "method": "REPLY"}, ics},
	} {
		var ph mail.InlineHeader
		ph.SetContentType(part.ct, part.params)
		pw, err := w.CreatePart(ph)
		if err != nil {
			return time.Time{}, "", err
		}
		io.WriteString(pw, part.body)
		pw.Close()
	}
	w.Close()
	id, _ := h.MessageID()
	at, err := o.send(ctx, buf.Bytes())
	return at, id, err
}

// compose sends a new mail (the Kepala's disposition) with a PDF.
func (o *official) compose(ctx context.Context, subject, body, file string) (time.Time, string, error) {
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Name: "Sekretariat", Address: o.office}})
	h.SetSubject(subject)
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return time.Time{}, "", err
	}
	var th mail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, _ := w.CreateSingleInline(th)
	io.WriteString(tw, body)
	tw.Close()
	var ah mail.AttachmentHeader
	ah.SetContentType("application/pdf", nil)
	ah.SetFilename(file)
	aw, _ := w.CreateAttachment(ah)
	aw.Write(pdf(file))
	aw.Close()
	w.Close()
	id, _ := h.MessageID()
	at, err := o.send(ctx, buf.Bytes())
	return at, id, err
}

// send submits with AUTH PLAIN, retrying while the server is down (the
// daemon, and with it the embedded server, may be restarting).
func (o *official) send(ctx context.Context, msg []byte) (time.Time, error) {
	host := o.smtpAddr[:strings.LastIndexByte(o.smtpAddr, ':')]
	auth := smtp.PlainAuth("", o.addr, o.pw, host)
	var err error
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); {
		if err = smtp.SendMail(o.smtpAddr, auth, o.addr, []string{o.office}, msg); err == nil {
			return time.Now(), nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(30 * time.Millisecond):
		}
	}
	return time.Time{}, fmt.Errorf("%s: SMTP: %w", o.name, err)
}

func quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\r\n")
}

// pdf is a small valid one-page PDF.
func pdf(title string) []byte {
	stream := fmt.Sprintf("BT /F1 14 Tf 56 780 Td (%s) Tj ET", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(title))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
