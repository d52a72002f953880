// Package simofficial is a simulated official for tests that drive a real
// mailflow daemon over the network (mailflow/e2e, mailflow/failover): a
// person who reads their INBOX over IMAP and answers over SMTP, quoting
// what they answer, retrying while the servers restart. What to answer is
// the test's policy; this package only reads and writes the mail. (The
// demo's officials, in mailflow/demo, tell a scripted story with each
// client's own quoting, and stay there.)
package simofficial

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

// Official is one simulated person. Not safe for concurrent use.
type Official struct {
	Name, Addr, Password string
	IMAPAddr, SMTPAddr   string // host:port, no TLS
	Office               string // the office mailbox they write to
	OfficeName           string // its display name (default "Sekretariat")

	lastUID     imap.UID
	uidValidity uint32
	c           *imapclient.Client // kept between polls
}

// Mail is one message in an official's INBOX.
type Mail struct {
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

// FetchNew returns the mail that arrived since the last call. It keeps
// one IMAP connection (NOOP to see new mail, RFC 3501 §6.1.2) and opens a
// new one after an error (the daemon, and an embedded server, restart).
func (o *Official) FetchNew() ([]*Mail, error) {
	msgs, err := o.fetch()
	if err != nil {
		o.Close()
	}
	return msgs, err
}

// Close drops the kept IMAP connection.
func (o *Official) Close() {
	if o.c != nil {
		o.c.Close()
		o.c = nil
	}
}

func (o *Official) fetch() ([]*Mail, error) {
	if o.c == nil {
		c, err := imapclient.DialInsecure(o.IMAPAddr, nil)
		if err != nil {
			return nil, err
		}
		o.c = c
		if err := c.Login(o.Addr, o.Password).Wait(); err != nil {
			return nil, err
		}
		sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return nil, err
		}
		if o.uidValidity != 0 && sel.UIDValidity != o.uidValidity {
			return nil, fmt.Errorf("%s: UIDVALIDITY changed from %d to %d: the mailbox did not survive a restart", o.Addr, o.uidValidity, sel.UIDValidity)
		}
		o.uidValidity = sel.UIDValidity
	} else if err := o.c.Noop().Wait(); err != nil {
		return nil, err
	}
	mb := o.c.Mailbox()
	if mb == nil {
		return nil, fmt.Errorf("%s: the connection lost its mailbox", o.Addr)
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
	var out []*Mail
	for _, m := range msgs {
		if m.UID <= o.lastUID {
			continue
		}
		r, err := Parse(m.FindBodySection(bs))
		if err != nil {
			return nil, fmt.Errorf("%s uid %d: %w", o.Addr, m.UID, err)
		}
		r.UID, r.To, r.Seen = m.UID, o.Addr, now
		out = append(out, r)
	}
	for _, r := range out {
		o.lastUID = max(o.lastUID, r.UID)
	}
	return out, nil
}

var xmf = regexp.MustCompile(`^(\w+); step=(\d+); round=(\d+); kind=(\w+)`)

// Parse reads what a test needs of a message: its ids, mailflow's
// X-Mailflow header (run token, step, round, kind), the first text part
// and a calendar part.
func Parse(raw []byte) (*Mail, error) {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	r := &Mail{}
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
		if err != nil {
			break // io.EOF, or a part the test does not need
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

// Reply answers m with body above the quoted text, with a small PDF named
// file attached when file is not "", and returns when the server accepted
// it, with the reply's Message-ID.
func (o *Official) Reply(ctx context.Context, m *Mail, body, file string) (time.Time, string, error) {
	var h mail.Header
	h.SetSubject("Re: " + m.Subject)
	h.SetMsgIDList("In-Reply-To", []string{m.MessageID})
	h.SetMsgIDList("References", []string{m.MessageID})
	text := fmt.Sprintf("%s\r\n\r\n%s\r\n\r\n%s menulis:\r\n%s", body, o.Name, o.Office, Quote(m.Text))
	return o.write(ctx, h, text, file)
}

// Compose sends a new mail to the office (a disposition, a request), with
// a PDF named file when file is not "".
func (o *Official) Compose(ctx context.Context, subject, body, file string) (time.Time, string, error) {
	var h mail.Header
	h.SetSubject(subject)
	return o.write(ctx, h, body, file)
}

// Accept accepts an invitation with an iTIP REPLY (RFC 5546 §3.2.3).
func (o *Official) Accept(ctx context.Context, inv *Mail) (time.Time, string, error) {
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
	ics := strings.Join([]string{"BEGIN:VCALENDAR", "PRODID:-//mailflow tests//Klien Kalender//ID", "VERSION:2.0", "METHOD:REPLY",
		"BEGIN:VEVENT", "UID:" + field("UID"), "DTSTAMP:" + time.Now().UTC().Format("20060102T150405Z"), "SEQUENCE:" + seq,
		"ORGANIZER:mailto:" + o.Office, "ATTENDEE;PARTSTAT=ACCEPTED;CN=" + o.Name + ":mailto:" + o.Addr,
		"SUMMARY:Diterima: Rapat Tim", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")
	var h mail.Header
	h.SetSubject("Diterima: " + strings.TrimPrefix(inv.Subject, "Undangan: "))
	h.SetMsgIDList("In-Reply-To", []string{inv.MessageID})
	h.SetMsgIDList("References", []string{inv.MessageID})
	o.complete(&h)
	var buf bytes.Buffer
	w, err := mail.CreateInlineWriter(&buf, h)
	if err != nil {
		return time.Time{}, "", err
	}
	for _, part := range []struct {
		ct     string
		params map[string]string
		body   string
	}{
		{"text/plain", map[string]string{"charset": "utf-8"}, o.Name + " telah menjawab undangan ini: Diterima."},
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
	return o.submit(ctx, h, buf.Bytes())
}

// write submits a mail of text with an optional PDF named file.
func (o *Official) write(ctx context.Context, h mail.Header, text, file string) (time.Time, string, error) {
	o.complete(&h)
	var buf bytes.Buffer
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
	io.WriteString(tw, text)
	tw.Close()
	if file != "" {
		var ah mail.AttachmentHeader
		ah.SetContentType("application/pdf", nil)
		ah.SetFilename(file)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return time.Time{}, "", err
		}
		aw.Write(PDF(file))
		aw.Close()
	}
	w.Close()
	return o.submit(ctx, h, buf.Bytes())
}

// complete adds the Date, From, To and a Message-ID.
func (o *Official) complete(h *mail.Header) {
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{{Name: o.Name, Address: o.Addr}})
	to := o.OfficeName
	if to == "" {
		to = "Sekretariat"
	}
	h.SetAddressList("To", []*mail.Address{{Name: to, Address: o.Office}})
	h.GenerateMessageIDWithHostname(strings.SplitN(o.Addr, "@", 2)[1])
}

// submit sends msg and returns when the server took it, with h's
// Message-ID.
func (o *Official) submit(ctx context.Context, h mail.Header, msg []byte) (time.Time, string, error) {
	id, _ := h.MessageID()
	at, err := o.Send(ctx, msg)
	return at, id, err
}

// Send submits msg with AUTH PLAIN, retrying for a minute while the
// server refuses or is down (the daemon, and with it an embedded server,
// may be restarting).
func (o *Official) Send(ctx context.Context, msg []byte) (time.Time, error) {
	host := o.SMTPAddr[:strings.LastIndexByte(o.SMTPAddr, ':')]
	auth := smtp.PlainAuth("", o.Addr, o.Password, host)
	var err error
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); {
		if err = smtp.SendMail(o.SMTPAddr, auth, o.Addr, []string{o.Office}, msg); err == nil {
			return time.Now(), nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(30 * time.Millisecond):
		}
	}
	return time.Time{}, fmt.Errorf("%s: SMTP: %w", o.Name, err)
}

// Quote marks every line of s with "> ".
func Quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\r\n")
}

// PDF is a small valid one-page PDF showing title.
func PDF(title string) []byte {
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
