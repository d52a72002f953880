package mailout_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// part is a parsed MIME node.
type part struct {
	Type     string
	Params   map[string]string
	Header   mail.Header
	Body     []byte // decoded, for leaves
	Children []*part
}

func (p *part) tree() string {
	if len(p.Children) == 0 {
		return p.Type
	}
	var cs []string
	for _, c := range p.Children {
		cs = append(cs, c.tree())
	}
	return p.Type + "[" + strings.Join(cs, ",") + "]"
}

func (p *part) find(typ string) *part {
	if p.Type == typ {
		return p
	}
	for _, c := range p.Children {
		if f := c.find(typ); f != nil {
			return f
		}
	}
	return nil
}

func parseMsg(t *testing.T, raw []byte) (*mail.Message, *part) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, raw)
	}
	p, err := parsePart(m.Header, m.Body)
	if err != nil {
		t.Fatalf("parse MIME: %v", err)
	}
	return m, p
}

func parsePart(h mail.Header, body io.Reader) (*part, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	typ, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, fmt.Errorf("content-type %q: %w", ct, err)
	}
	p := &part{Type: typ, Params: params, Header: h}
	if strings.HasPrefix(typ, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			np, err := mr.NextRawPart()
			if err == io.EOF {
				return p, nil
			}
			if err != nil {
				return nil, err
			}
			c, err := parsePart(mail.Header(np.Header), np)
			if err != nil {
				return nil, err
			}
			p.Children = append(p.Children, c)
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	p.Body, err = io.ReadAll(r)
	return p, err
}

// TestMIMEEveryKind sends one mail of every kind through the worker to a
// go-smtp server on 127.0.0.1 and checks what arrived: the MIME tree, the
// threading and loop-safety headers, the reference line, the attachments.
func TestMIMEEveryKind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		mails, err := samples.Mails(configPath)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]samples.Sample{}
		var ms []*flow.Mail
		for _, s := range mails {
			for _, a := range s.Mail.Attachments {
				if !e.blobs.Has(a.SHA256) {
					e.putBlob(a)
				}
			}
			byID[s.Mail.MessageID] = s
			ms = append(ms, s.Mail)
		}
		e.enqueue(ms...)
		opt := e.options()
		opt.SMTP.MaxPerHour = 0
		w := e.worker(opt)
		e.drain(w)
		got := e.smtp.messages()
		if len(got) != len(mails) {
			t.Fatalf("server got %d messages, want %d", len(got), len(mails))
		}
		kinds := map[string]bool{}
		letters := map[string]string{} // sample -> letter file name
		for _, r := range got {
			hdr, root := parseMsg(t, r.Data)
			id := strings.Trim(hdr.Header.Get("Message-Id"), "<>")
			s, ok := byID[id]
			if !ok {
				t.Fatalf("unknown Message-ID %q", id)
			}
			kinds[s.Mail.Template] = true
			t.Run(s.Name, func(t *testing.T) { checkReceived(t, e, s.Mail, r, hdr, root) })
			for _, c := range root.Children {
				_, dp, _ := mime.ParseMediaType(c.Header.Get("Content-Disposition"))
				if strings.HasPrefix(dp["filename"], "Undangan_") {
					letters[s.Name] = dp["filename"]
				}
			}
		}
		// The step-13 request shows the letter that the invitation then carries:
		// the same nomor, however much later KIRIM comes.
		if letters["assign_send"] == "" || letters["assign_send"] != letters["invitation"] {
			t.Errorf("request and invitation letters differ: %q vs %q", letters["assign_send"], letters["invitation"])
		}
		for _, k := range []string{flow.TplTask, flow.TplApproval, flow.TplCollect, flow.TplReport, flow.TplReminder, flow.TplEscalation,
			flow.TplReceipt, flow.TplNotice, flow.TplStatus, flow.TplHelp, flow.TplAlert, flow.TplSummary, flow.TplInvitation,
			flow.TplCancel, flow.TplAttendance} {
			if !kinds[k] {
				t.Errorf("kind %s not sent", k)
			}
		}
	})
}

func checkReceived(t *testing.T, e *env, m *flow.Mail, r received, hdr *mail.Message, root *part) {
	h := hdr.Header
	want := "multipart/alternative[text/plain,text/html]"
	if m.Invite != nil {
		want = "multipart/alternative[text/plain,text/html,text/calendar]"
	}
	var as []string
	for _, a := range m.Attachments {
		as = append(as, a.ContentType)
	}
	if m.Invite != nil {
		as = append(as, "application/pdf", "application/ics") // the letter and the invite.ics copy
	} else if m.Template == flow.TplSend {
		as = append(as, "application/pdf") // the letter, shown before it is sent
	}
	if len(as) > 0 {
		want = "multipart/mixed[" + want + "," + strings.Join(as, ",") + "]"
	}
	if got := root.tree(); got != want {
		t.Errorf("MIME tree %s, want %s", got, want)
	}
	if r.From != e.fenv.Office.Mailbox {
		t.Errorf("envelope sender %s", r.From)
	}
	if len(r.To) != len(m.To) {
		t.Errorf("envelope recipients %v", r.To)
	}
	from, _ := mail.ParseAddress(h.Get("From"))
	if from == nil || from.Address != e.fenv.Office.Mailbox || from.Name != e.fenv.Office.Name {
		t.Errorf("From %q", h.Get("From"))
	}
	if rt, _ := mail.ParseAddress(h.Get("Reply-To")); rt == nil || rt.Address != e.fenv.Office.Mailbox {
		t.Errorf("Reply-To %q", h.Get("Reply-To"))
	}
	ref, _ := token.FromMessageID(m.MessageID)
	if got, want := h.Get(token.Header), fmt.Sprintf("%s; step=%d; round=%d; kind=%s", ref.Token, m.Step, ref.Round, m.Template); got != want {
		t.Errorf("%s: %q, want %q", token.Header, got, want)
	}
	refs := h.Get("References")
	if !strings.Contains(refs, "<"+m.Thread+">") {
		t.Errorf("References %q lacks the thread root %s", refs, m.Thread)
	}
	if m.InReplyTo != "" && (h.Get("In-Reply-To") != "<"+m.InReplyTo+">" || !strings.HasSuffix(refs, "<"+m.InReplyTo+">")) {
		t.Errorf("answer: In-Reply-To %q References %q, want %s", h.Get("In-Reply-To"), refs, m.InReplyTo)
	}
	auto := h.Get("Auto-Submitted")
	if m.Automatic != (auto == "auto-generated") || m.Automatic != (h.Get("X-Auto-Response-Suppress") == "All") {
		t.Errorf("automatic=%v but Auto-Submitted=%q", m.Automatic, auto)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || !strings.HasPrefix(subj, "[LAKIP 2023") {
		t.Errorf("Subject %q (%v)", subj, err)
	}
	text := root.find("text/plain")
	if text == nil || text.Params["charset"] != "UTF-8" {
		t.Fatalf("no UTF-8 text part")
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(text.Body), "\r\n", "\n"), "\n"), "\n")
	if last := lines[len(lines)-1]; last != m.Data.Ref {
		t.Errorf("text ends with %q, want %q", last, m.Data.Ref)
	}
	if html := root.find("text/html"); html == nil || !strings.Contains(string(html.Body), m.Data.Ref) {
		t.Errorf("html part lacks the reference line")
	}
	if m.Invite != nil {
		cal := root.find("text/calendar")
		if cal.Params["method"] != m.Invite.Method || cal.Params["charset"] != "UTF-8" {
			t.Errorf("text/calendar params %v", cal.Params)
		}
		if !bytes.Contains(cal.Body, []byte("METHOD:"+m.Invite.Method+"\r\n")) || !bytes.Contains(cal.Body, []byte("UID:"+m.Invite.UID)) {
			t.Errorf("calendar body:\n%s", cal.Body)
		}
		if cte := strings.ToLower(cal.Header.Get("Content-Transfer-Encoding")); cte != "base64" && cte != "7bit" {
			t.Errorf("text/calendar in %q, want base64 or 7bit", cte)
		}
		if !bytes.Contains(bytes.ReplaceAll(cal.Body, []byte("\r\n "), nil), []byte("Surat Nomor 005/")) {
			t.Errorf("DESCRIPTION lacks the letter's nomor:\n%s", cal.Body)
		}
		if ics := root.find("application/ics"); ics == nil || !bytes.Equal(ics.Body, cal.Body) {
			t.Errorf("invite.ics copy missing or different from the inline part")
		}
		var letter *part
		var name string
		for _, c := range root.Children {
			_, dp, _ := mime.ParseMediaType(c.Header.Get("Content-Disposition"))
			if c.Type == "application/pdf" && (strings.HasPrefix(dp["filename"], "Undangan_005-") ||
				strings.HasPrefix(dp["filename"], "Perubahan_Jadwal_005-") || strings.HasPrefix(dp["filename"], "Pembatalan_005-")) {
				letter, name = c, dp["filename"]
			}
		}
		if letter == nil || !bytes.HasPrefix(letter.Body, []byte("%PDF-")) {
			t.Fatalf("no letter PDF attached")
		}
		if text := root.find("text/plain"); text == nil || !strings.Contains(string(text.Body), "Nomor 005/") {
			t.Errorf("letter %q not named in the text body", name)
		}
	}
	i := 0
	for _, c := range root.Children {
		if root.Type != "multipart/mixed" || c.Type == "multipart/alternative" {
			continue
		}
		if i >= len(m.Attachments) {
			break // the letter and invite.ics, checked above
		}
		a := m.Attachments[i]
		i++
		_, dp, _ := mime.ParseMediaType(c.Header.Get("Content-Disposition"))
		if dp["filename"] != a.Filename || !bytes.Equal(c.Body, samples.Content(a.Filename)) {
			t.Errorf("attachment %d: filename %q, %d bytes; want %s", i, dp["filename"], len(c.Body), a.Filename)
		}
	}
}
