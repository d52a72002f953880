package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/smtp"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"
)

// official is a simulated person with a mail client: they read their
// mailbox over IMAP and answer over SMTP, quoting what they answer, in the
// style of one client (gmail, outlook, iphone).
type official struct {
	name, addr, pw string
	style          string
	imapAddr       string
	smtpAddr       string
	office         string
	lastUID        imap.UID
	seen           map[string]bool
	onFound        func() // a new mail from mailflow arrived
}

// received is a mail from mailflow in the official's INBOX.
type received struct {
	UID       imap.UID
	MessageID string
	Subject   string
	From      string
	Date      time.Time
	Step      int
	Template  string // from the subject, best effort
	Text      string
	HTML      string
	Calendar  string
	Auto      bool
}

// waitFor polls the INBOX until a new mail from mailflow satisfies match.
func (o *official) waitFor(ctx context.Context, what string, match func(*received) bool) (*received, error) {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		msgs, err := o.fetchNew(ctx)
		if err != nil {
			return nil, err
		}
		if len(msgs) > 0 && o.onFound != nil {
			o.onFound()
		}
		for _, m := range msgs {
			if !o.seen[m.MessageID] && match(m) {
				o.seen[m.MessageID] = true
				return m, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("%s <%s> never received %s", o.name, o.addr, what)
}

func (o *official) fetchNew(ctx context.Context) ([]*received, error) {
	c, err := imapclient.DialInsecure(o.imapAddr, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: connect to IMAP: %w", o.name, err)
	}
	defer c.Close()
	if err := c.Login(o.addr, o.pw).Wait(); err != nil {
		return nil, fmt.Errorf("%s: IMAP login: %w", o.name, err)
	}
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, err
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	set := imap.UIDSet{imap.UIDRange{Start: o.lastUID + 1, Stop: 0}}
	bs := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{bs}}).Collect()
	if err != nil {
		return nil, err
	}
	var out []*received
	for _, m := range msgs {
		if m.UID <= o.lastUID {
			continue
		}
		o.lastUID = max(o.lastUID, m.UID)
		r, err := parseReceived(m.FindBodySection(bs))
		if err != nil {
			return nil, fmt.Errorf("%s: read uid %d: %w", o.name, m.UID, err)
		}
		r.UID = m.UID
		out = append(out, r)
	}
	return out, nil
}

func parseReceived(raw []byte) (*received, error) {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	r := &received{}
	r.MessageID, _ = mr.Header.MessageID()
	r.Subject, _ = mr.Header.Subject()
	r.Date, _ = mr.Header.Date()
	if f, _ := mr.Header.AddressList("From"); len(f) > 0 {
		r.From = f[0].String()
	}
	r.Auto = mr.Header.Get("Auto-Submitted") != ""
	if v := mr.Header.Get("X-Mailflow"); v != "" {
		for _, f := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(strings.TrimSpace(f), "=")
			switch k {
			case "step":
				fmt.Sscanf(val, "%d", &r.Step)
			case "kind":
				r.Template = val
			}
		}
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, nil
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			ct, params, _ := h.ContentType()
			b, _ := io.ReadAll(p.Body)
			switch {
			case ct == "text/plain" && r.Text == "":
				r.Text = string(b)
			case ct == "text/html" && r.HTML == "":
				r.HTML = string(b)
			case ct == "text/calendar":
				r.Calendar = string(b)
				_ = params
			}
		}
	}
	return r, nil
}

// file is an attachment the official sends.
type file struct {
	Name    string
	Content []byte
}

// reply answers m with body (the official's new text), quoting m the way
// the official's client does, and sends it over SMTP to the office.
func (o *official) reply(ctx context.Context, m *received, body string, files []file, at time.Time) (time.Time, error) {
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(at)
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Name: "Sekretariat", Address: o.office}})
	subj := m.Subject
	if !strings.HasPrefix(strings.ToLower(subj), "re:") && !strings.HasPrefix(strings.ToLower(subj), "balas:") {
		subj = "Re: " + subj
		if o.style == "outlook" {
			subj = "RE: " + m.Subject
		}
	}
	h.SetSubject(subj)
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	h.SetMsgIDList("In-Reply-To", []string{m.MessageID})
	h.SetMsgIDList("References", []string{m.MessageID})
	text, html := o.quote(m, body, at)
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return time.Time{}, err
	}
	alt, err := w.CreateInline()
	if err != nil {
		return time.Time{}, err
	}
	for _, part := range []struct{ ct, body string }{{"text/plain", text}, {"text/html", html}} {
		var ph mail.InlineHeader
		ph.SetContentType(part.ct, map[string]string{"charset": "utf-8"})
		pw, err := alt.CreatePart(ph)
		if err != nil {
			return time.Time{}, err
		}
		io.WriteString(pw, part.body)
		pw.Close()
	}
	alt.Close()
	return o.finish(w, &buf, files)
}

// finish adds the attachments, closes the message and sends it.
func (o *official) finish(w *mail.Writer, buf *bytes.Buffer, files []file) (time.Time, error) {
	for _, f := range files {
		var ah mail.AttachmentHeader
		ah.SetContentType(mimeType(f.Name), nil)
		ah.SetFilename(f.Name)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return time.Time{}, err
		}
		aw.Write(f.Content)
		aw.Close()
	}
	w.Close()
	return o.send(buf.Bytes())
}

func mimeType(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if t := mime.TypeByExtension(name[i:]); t != "" {
			return t
		}
	}
	return "application/octet-stream"
}

// send submits over SMTP with AUTH PLAIN and returns when it was accepted.
func (o *official) send(msg []byte) (time.Time, error) {
	host := o.smtpAddr[:strings.LastIndexByte(o.smtpAddr, ':')]
	auth := smtp.PlainAuth("", o.addr, o.pw, host)
	if err := smtp.SendMail(o.smtpAddr, auth, o.addr, []string{o.office}, msg); err != nil {
		return time.Time{}, fmt.Errorf("%s: SMTP: %w", o.name, err)
	}
	return time.Now(), nil
}

func quoteLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

var hariPendek = [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}
var bulanPendek = [...]string{"", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}

// quote writes the reply the way each client does, in its Indonesian UI.
func (o *official) quote(m *received, body string, at time.Time) (text, html string) {
	d := m.Date.In(at.Location())
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>\n").Replace(s)
	}
	sig := o.name
	switch o.style {
	case "outlook":
		hdr := fmt.Sprintf("Dari: %s\nDikirim: %s, %s %s %d %02d.%02d\nKepada: %s <%s>\nSubjek: %s",
			m.From, hariLong(d.Weekday()), fmt.Sprint(d.Day()), bulanPendek[d.Month()], d.Year(), d.Hour(), d.Minute(), o.name, o.addr, m.Subject)
		text = body + "\n\n" + sig + "\n\n________________________________\n" + hdr + "\n\n" + m.Text
		html = `<html><body><div style="font-family:Calibri">` + esc(body) + `</div><div>` + esc(sig) + `</div>` +
			`<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri" style="font-size:11pt"><b>Dari:</b> ` +
			esc(m.From) + `<br><b>Dikirim:</b> ` + esc(hdr[strings.Index(hdr, "Dikirim: ")+9:strings.Index(hdr, "\nKepada")]) + `<br><b>Kepada:</b> ` + esc(o.name) +
			`<br><b>Subjek:</b> ` + esc(m.Subject) + `</font></div><div>` + m.HTML + `</div></body></html>`
	case "iphone":
		attr := fmt.Sprintf("Pada %d %s %d, pukul %02d.%02d, %s menulis:", d.Day(), bulanLong(d.Month()), d.Year(), d.Hour(), d.Minute(), m.From)
		text = body + "\n\nDikirim dari iPhone saya\n\n> " + attr + "\n>\n" + quoteLines(m.Text)
		html = `<html><body><div dir="auto">` + esc(body) + `<br><br><div dir="ltr">Dikirim dari iPhone saya</div><div dir="ltr"><br><blockquote type="cite">` +
			esc(attr) + `<br><br>` + m.HTML + `</blockquote></div></div></body></html>`
	default: // gmail
		attr := fmt.Sprintf("Pada %s, %d %s %d pukul %02d.%02d %s menulis:", hariPendek[d.Weekday()], d.Day(), bulanPendek[d.Month()], d.Year(), d.Hour(), d.Minute(), m.From)
		text = body + "\n\n" + attr + "\n\n" + quoteLines(m.Text)
		html = `<div dir="ltr">` + esc(body) + `</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">` + esc(attr) +
			`<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">` +
			m.HTML + `</blockquote></div>`
	}
	return text, html
}

func hariLong(d time.Weekday) string {
	return [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}[d]
}

func bulanLong(m time.Month) string {
	return [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}[m]
}

// rsvp answers an invitation with an iTIP REPLY (RFC 5546 §3.2.3), as a
// calendar client does.
func (o *official) rsvp(inv *received, partstat string, at time.Time) (time.Time, error) {
	uid := icsField(inv.Calendar, "UID")
	seq := icsField(inv.Calendar, "SEQUENCE")
	if seq == "" {
		seq = "0"
	}
	word := map[string]string{"ACCEPTED": "Diterima", "DECLINED": "Ditolak", "TENTATIVE": "Tentatif"}[partstat]
	ics := strings.Join([]string{"BEGIN:VCALENDAR", "PRODID:-//mailflow demo//Klien Kalender//ID", "VERSION:2.0", "METHOD:REPLY",
		"BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:" + at.UTC().Format("20060102T150405Z"), "SEQUENCE:" + seq,
		"ORGANIZER:mailto:" + o.office, fmt.Sprintf("ATTENDEE;PARTSTAT=%s;CN=%s:mailto:%s", partstat, o.name, o.addr),
		"SUMMARY:" + word + ": Rapat Tim", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")
	var buf bytes.Buffer
	var h mail.Header
	h.SetDate(at)
	h.SetAddressList("From", []*mail.Address{{Name: o.name, Address: o.addr}})
	h.SetAddressList("To", []*mail.Address{{Address: o.office}})
	h.SetSubject(word + ": " + strings.TrimPrefix(inv.Subject, "Undangan: "))
	h.GenerateMessageIDWithHostname(strings.SplitN(o.addr, "@", 2)[1])
	h.SetMsgIDList("In-Reply-To", []string{inv.MessageID})
	h.SetMsgIDList("References", []string{inv.MessageID})
	w, err := mail.CreateInlineWriter(&buf, h)
	if err != nil {
		return time.Time{}, err
	}
	for _, part := range []struct {
		ct     string
		params map[string]string
		body   string
	}{
		{"text/plain", map[string]string{"charset": "utf-8"}, o.name + " telah menjawab undangan ini: " + word + "."},
		{"text/calendar", map[string]string{"charset": "utf-8", "method": "REPLY"}, ics},
	} {
		var ph mail.InlineHeader
		ph.SetContentType(part.ct, part.params)
		pw, err := w.CreatePart(ph)
		if err != nil {
			return time.Time{}, err
		}
		io.WriteString(pw, part.body)
		pw.Close()
	}
	w.Close()
	return o.send(buf.Bytes())
}

// icsField reads a property value from unfolded iCalendar text.
func icsField(ics, name string) string {
	ics = strings.ReplaceAll(strings.ReplaceAll(ics, "\r\n ", ""), "\n ", "")
	for _, l := range strings.Split(ics, "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
			return l[strings.IndexByte(l, ':')+1:]
		}
	}
	return ""
}
