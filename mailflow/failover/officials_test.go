package failover

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

// Simulated officials for the IMAP failover tests, copied from
// mailflow/e2e's (test files cannot be imported) and cut to the leave
// request SOP (flow/testdata/cuti.toml): a person reads their INBOX over
// IMAP and answers over SMTP. The Kasubag hands the file in (SELESAI with a
// PDF); the Kepala rejects each run's first round (TOLAK) and approves the
// second (SETUJU).

type official struct {
	name, addr, pw     string
	imapAddr, smtpAddr string
	office             string // the office mailbox they write to
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
	Kind      string // X-Mailflow kind=…, "" if not ours
	Token     string
	Step      int
	Round     int
	Text      string
	Seen      time.Time // when the test first saw it
}

// fetchNew returns the mail that arrived since the last call, on one kept
// IMAP connection (NOOP shows new mail), opening a new one after an error.
func (o *official) fetchNew() ([]*inMail, error) {
	msgs, err := o.fetch()
	if err != nil && o.c != nil {
		o.c.Close()
		o.c = nil
	}
	return msgs, err
}

func (o *official) close() {
	if o.c != nil {
		o.c.Close()
		o.c = nil
	}
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
			return nil, fmt.Errorf("%s: UIDVALIDITY changed from %d to %d", o.addr, o.uidValidity, sel.UIDValidity)
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
			break
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			ct, _, _ := h.ContentType()
			b, _ := io.ReadAll(p.Body)
			if ct == "text/plain" && r.Text == "" {
				r.Text = string(b)
			}
		}
	}
	return r, nil
}

// answer decides the reply to m; ok is false for mail that needs none
// (receipts, notices, the summary).
func answer(m *inMail) (body string, attach bool, ok bool) {
	switch {
	case m.Kind == "assign_approval" && m.Round <= 1:
		return "TOLAK berkas belum lengkap, mohon dilengkapi surat keterangan.", false, true
	case m.Kind == "assign_approval":
		return "SETUJU", false, true
	case strings.HasPrefix(m.Kind, "assign_"):
		return "SELESAI, terlampir.", true, true
	}
	return "", false, false
}

// reply answers m over SMTP and returns when the server accepted it.
func (o *official) reply(ctx context.Context, m *inMail, body string, attach bool) (time.Time, string, error) {
	var h mail.Header
	h.SetSubject("Re: " + m.Subject)
	h.SetMsgIDList("In-Reply-To", []string{m.MessageID})
	h.SetMsgIDList("References", []string{m.MessageID})
	text := fmt.Sprintf("%s\r\n\r\n%s\r\n\r\n%s menulis:\r\n%s", body, o.name, o.office, quote(m.Text))
	file := ""
	if attach {
		file = fmt.Sprintf("berkas_cuti_%s.pdf", strings.SplitN(o.addr, "@", 2)[0])
	}
	return o.write(ctx, h, text, file)
}

// compose sends a new mail (a leave request) to the office.
func (o *official) compose(ctx context.Context, subject, body string) (time.Time, string, error) {
	var h mail.Header
	h.SetSubject(subject)
	return o.write(ctx, h, body, "")
}

// write completes h, builds the mail with text and an optional PDF, and
// submits it.
func (o *official) write(ctx context.Context, h mail.Header, text, file string) (time.Time, string, error) {
	var buf bytes.Buffer
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Name: "Tata Usaha", Address: o.office}})
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
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
		aw.Write(pdf(file))
		aw.Close()
	}
	w.Close()
	id, _ := h.MessageID()
	at, err := o.send(ctx, buf.Bytes())
	return at, id, err
}

// send submits with AUTH PLAIN, retrying while the server refuses.
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
