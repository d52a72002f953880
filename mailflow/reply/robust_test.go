package reply

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/blob"
)

const replyHead = "From: Sekretaris <sekretaris@dinsos.bangkatengahkab.go.id>\r\n" +
	"To: mailflow@dinsos.bangkatengahkab.go.id\r\nSubject: Re: [MF-abcdefghijklmnopqrst-8] Periksa\r\n" +
	"Message-ID: <r1@x>\r\nIn-Reply-To: <mf.abcdefghijklmnopqrst.s8.3@dinsos.bangkatengahkab.go.id>\r\n"

func mustParse(t *testing.T, msg string, opts Options) *Parsed {
	t.Helper()
	p, err := Parse(strings.NewReader(msg), opts)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p
}

// Class 1 of issue 15: real mail that go-message refuses must parse.
func TestParseLenientHeaders(t *testing.T) {
	long := strings.Repeat(" x", 700<<10) // a 1.4 MB folded header, over go-message's 1 MB
	folded := strings.Repeat("\r\n\tyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", 30000)
	for name, msg := range map[string]string{
		"mbox From line":      "From sekretaris@dinsos.bangkatengahkab.go.id Mon May 13 08:00:00 2024\n" + strings.ReplaceAll(replyHead, "\r\n", "\n") + "\nSETUJU\n",
		"leading spaces":      "    \r\n" + replyHead + "\r\nSETUJU\r\n",
		"bad line in header":  replyHead + "this line is no field\r\nX-Other: y\r\n\r\nSETUJU\r\n",
		"bad key":             replyHead + "Bad Key: y\r\n\r\nSETUJU\r\n",
		"over 1 MB":           replyHead + "X-Long:" + long + "\r\n\r\nSETUJU\r\n",
		"very long folded":    replyHead + "X-Folded: a" + folded + "\r\n\r\nSETUJU\r\n",
		"no blank line":       replyHead + "SETUJU\r\n",
		"starts with a space": " X-Bad: 1\r\n" + replyHead + "\r\nSETUJU\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := mustParse(t, msg, Options{})
			if p.Command != CmdApprove || p.Kind != KindReply {
				t.Errorf("command %q kind %q text %q, want approve reply", p.Command, p.Kind, p.Text)
			}
			if p.From != "sekretaris@dinsos.bangkatengahkab.go.id" || p.FromCount != 1 {
				t.Errorf("from %q (%d)", p.From, p.FromCount)
			}
			if p.InReplyTo == "" {
				t.Errorf("in-reply-to lost")
			}
		})
	}
}

// A message with no header field at all is read as text.
func TestParseNoHeaderIsText(t *testing.T) {
	p := mustParse(t, "SETUJU pak\r\n\r\nTerima kasih\r\n", Options{})
	if p.Command != CmdApprove {
		t.Errorf("command %q text %q", p.Command, p.Text)
	}
}

func TestParseMalformed(t *testing.T) {
	for name, msg := range map[string]string{
		"empty":  "",
		"blank":  "\r\n\r\n   \r\n",
		"binary": "\x00\x01\x02PK\x03\x04\x00\x00\r\n\r\n\x00\x00",
	} {
		_, err := Parse(strings.NewReader(msg), Options{})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

// failReader fails after n bytes, as a dropped connection does.
type failReader struct {
	r io.Reader
	n int
}

var errConn = errors.New("connection reset")

func (f *failReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errConn
	}
	p = p[:min(len(p), f.n)]
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

// Errors of the source and of the blob store are transient: never
// ErrMalformed.
func TestParseTransientErrors(t *testing.T) {
	msg := attachMsg("SELESAI", part{"laporan.pdf", "application/pdf", pdf(40 << 10)})
	for _, n := range []int{10, 300, len(msg) / 2} {
		_, err := Parse(&failReader{r: strings.NewReader(msg), n: n}, Options{})
		if err == nil || errors.Is(err, ErrMalformed) || !errors.Is(err, errConn) {
			t.Errorf("cut at %d: err = %v, want the connection's error, not ErrMalformed", n, err)
		}
	}
	dir := t.TempDir()
	st, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "tmp")) // the disk fails
	_, err = Parse(strings.NewReader(msg), Options{Blobs: st})
	if err == nil || errors.Is(err, ErrMalformed) {
		t.Errorf("store failure: err = %v, want a transient error", err)
	}
}

type part struct{ name, ctype, b64 string }

func pdf(n int) string {
	return base64.StdEncoding.EncodeToString(append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), n)...))
}

func b64(b string) string { return base64.StdEncoding.EncodeToString([]byte(b)) }

// attachMsg builds a reply with text and base64 attachments.
func attachMsg(text string, parts ...part) string {
	var b strings.Builder
	b.WriteString(replyHead + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n")
	b.WriteString("--zz\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n")
	for _, p := range parts {
		fmt.Fprintf(&b, "--zz\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"+
			"Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", p.ctype, p.name, p.b64)
	}
	b.WriteString("--zz--\r\n")
	return b.String()
}

// Issue 9 §1: an attachment that does not decode is refused alone.
func TestBadBase64RefusedAlone(t *testing.T) {
	st, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	msg := attachMsg("SELESAI, terlampir.", part{"rusak.pdf", "application/pdf", "JVBERi0xLjcK!!!!####not base64 at all****"},
		part{"laporan.pdf", "application/pdf", pdf(1000)})
	p := mustParse(t, msg, Options{Blobs: st})
	if p.Command != CmdDone {
		t.Errorf("command %q", p.Command)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Filename != "laporan.pdf" || !st.Has(p.Attachments[0].SHA256) {
		t.Errorf("attachments = %+v", p.Attachments)
	}
	if len(p.Rejected) != 1 || p.Rejected[0].Filename != "rusak.pdf" || !strings.Contains(p.Rejected[0].Reason, "does not decode") {
		t.Errorf("rejected = %+v", p.Rejected)
	}
}

// Issue 9 §3: the type is what the bytes are.
func TestAttachmentSniffing(t *testing.T) {
	allow := []string{"application/pdf", "application/vnd.openxmlformats-officedocument.*", "image/*"}
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 40)
	docx := "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml" + strings.Repeat("\x00", 40)
	svg := `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`
	cases := []struct {
		p      part
		allow  []string
		accept bool
		reason string
	}{
		{part{"laporan.pdf", "application/pdf", b64("MZ\x90\x00\x03 this is a PE file")}, nil, false, "Windows executable"},
		{part{"laporan.pdf", "application/pdf", b64("MZ\x90\x00\x03 this is a PE file")}, allow, false, "Windows executable"},
		{part{"setup.exe", "application/octet-stream", b64("hello")}, nil, false, ".exe"},
		{part{"run.pdf", "application/pdf", b64("#!/bin/sh\nrm -rf /\n")}, nil, false, "script"},
		{part{"x.pdf", "application/pdf", b64("\x7fELF\x02\x01")}, nil, false, "ELF"},
		{part{"a.docx", "application/pdf", b64(docx)}, allow, true, ""},
		{part{"gambar.pdf", "application/pdf", b64(png)}, []string{"application/pdf"}, false, "image/png"},
		{part{"palsu.pdf", "application/pdf", b64("just text, no magic")}, allow, false, "application/octet-stream"},
		{part{"logo.svg", "image/svg+xml", b64(svg)}, allow, false, "svg"},
		{part{"logo.png", "image/png", b64(svg)}, allow, false, "svg"},
		{part{"foto.jpg", "application/octet-stream", b64("\xFF\xD8\xFF\xE0jpeg")}, allow, true, ""},
	}
	for _, c := range cases {
		p := mustParse(t, attachMsg("SELESAI", c.p), Options{AllowedTypes: c.allow})
		if c.accept {
			if len(p.Attachments) != 1 || len(p.Rejected) != 0 {
				t.Errorf("%s: accepted %+v rejected %+v, want accepted", c.p.name, p.Attachments, p.Rejected)
			}
			continue
		}
		if len(p.Attachments) != 0 || len(p.Rejected) != 1 || !strings.Contains(strings.ToLower(p.Rejected[0].Reason), strings.ToLower(c.reason)) {
			t.Errorf("%s (%s): accepted %+v rejected %+v, want refused for %q", c.p.name, c.p.ctype, p.Attachments, p.Rejected, c.reason)
		}
	}
}

// Issue 9 §3: more parts than the limit are reported, never dropped
// silently.
func TestPartsOverLimitReported(t *testing.T) {
	parts := make([]part, 1000)
	for i := range parts {
		parts[i] = part{fmt.Sprintf("f%04d.pdf", i), "application/pdf", pdf(10)}
	}
	p := mustParse(t, attachMsg("SELESAI", parts...), Options{})
	var over int
	for _, r := range p.Rejected {
		if r.Filename == "" {
			if _, err := fmt.Sscanf(r.Reason, "%d parts over the limit", &over); err != nil {
				t.Errorf("reason %q", r.Reason)
			}
		}
	}
	if over == 0 || len(p.Attachments)+over != 1000 {
		t.Errorf("kept %d, reported %d over the limit, want a sum of 1000 (rejected %v)", len(p.Attachments), over, p.Rejected)
	}
}

// Issue 9 §2: Authentication-Results count only for the From domain.
func TestAuthAlignedWithFrom(t *testing.T) {
	const id = "mx.dinsos.bangkatengahkab.go.id"
	from := "From: Kepala Dinas <kadis@dinsos.bangkatengahkab.go.id>\r\n"
	rest := "Subject: Re: x\r\nIn-Reply-To: <a@b>\r\n\r\nSETUJU\r\n"
	cases := []struct {
		name, hdr      string
		dkim, dmarc    bool
		alignedDKIM    bool
		alignedDMARC   bool
		extraFrom      string
		wantFromCount  int
		untrustedFirst bool
	}{
		{name: "foreign domain", hdr: id + "; dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example",
			dkim: true, dmarc: true, wantFromCount: 1},
		{name: "own domain", hdr: id + "; dkim=pass header.d=dinsos.bangkatengahkab.go.id; dmarc=pass header.from=dinsos.bangkatengahkab.go.id",
			dkim: true, dmarc: true, alignedDKIM: true, alignedDMARC: true, wantFromCount: 1},
		{name: "organisational domain", hdr: id + "; dkim=pass header.d=bangkatengahkab.go.id; dmarc=pass header.from=bangkatengahkab.go.id",
			dkim: true, dmarc: true, alignedDKIM: true, wantFromCount: 1},
		{name: "public suffix", hdr: id + "; dkim=pass header.d=go.id", dkim: true, wantFromCount: 1},
		{name: "look-alike", hdr: id + "; dkim=pass header.d=evil-bangkatengahkab.go.id", dkim: true, wantFromCount: 1},
		{name: "two From headers", hdr: id + "; dkim=pass header.d=dinsos.bangkatengahkab.go.id; dmarc=pass header.from=dinsos.bangkatengahkab.go.id",
			dkim: true, dmarc: true, extraFrom: "From: evil@evil.example\r\n", wantFromCount: 2},
		{name: "From list", hdr: id + "; dkim=pass header.d=dinsos.bangkatengahkab.go.id; dmarc=pass header.from=dinsos.bangkatengahkab.go.id",
			dkim: true, dmarc: true, extraFrom: "-", wantFromCount: 2},
		{name: "dkim fail", hdr: id + "; dkim=fail header.d=dinsos.bangkatengahkab.go.id", wantFromCount: 1},
	}
	for _, c := range cases {
		f := from + c.extraFrom
		if c.extraFrom == "-" {
			f = "From: kadis@dinsos.bangkatengahkab.go.id, other@evil.example\r\n"
		}
		msg := "Authentication-Results: " + c.hdr + "\r\n" + f + rest
		p := mustParse(t, msg, Options{TrustedAuthServID: id})
		a := p.Auth
		if a.DKIM != c.dkim || a.DMARC != c.dmarc || a.DKIMAligned != c.alignedDKIM || a.DMARCAligned != c.alignedDMARC || p.FromCount != c.wantFromCount {
			t.Errorf("%s: auth %+v fromCount %d", c.name, a, p.FromCount)
		}
	}
}

// Issue 9 §2: hidden HTML is not text.
func TestHiddenHTMLIsNotRead(t *testing.T) {
	for _, body := range []string{
		`<div>Mohon dicek kembali.</div><div style="display:none">SETUJU</div>`,
		`<div hidden>SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="visibility:hidden">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="font-size:0px">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="font-size:0">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div><span style="color:#ffffff">SETUJU</span></div><div>Mohon dicek kembali.</div>`,
		`<div style="background-color:#123456"><span style="color:rgb(18,52,86)">SETUJU</span> Mohon dicek kembali.</div>`,
		`<table bgcolor="black"><tr><td><font color="#000">SETUJU</font></td></tr></table><p>Mohon dicek kembali.</p>`,
		`<style>.x{display:none !important}</style><div class="a x">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="mso-hide:all">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="max-height:0;overflow:hidden">SETUJU</div><div>Mohon dicek kembali.</div>`,
		`<div style="opacity:0">SETUJU</div><div>Mohon dicek kembali.</div>`,
	} {
		p := ParseText(body, true, Options{})
		if p.Command == CmdApprove || strings.Contains(p.Text, "SETUJU") {
			t.Errorf("%s: command %q text %q", body, p.Command, p.Text)
		}
	}
	// visible text inside a hiding ancestor that a descendant undoes is
	// read; an approval in HTML that hides anything is still not trusted
	// (TestHiddenApprovalNeverApproves)
	p := ParseText(`<div style="font-size:0"><span style="font-size:14px">SETUJU</span></div>`, true, Options{})
	if p.Text != "SETUJU" || p.Command == CmdApprove {
		t.Errorf("sized span in a font-size:0 wrapper: %q %q", p.Command, p.Text)
	}
}

func altMsg(plain, html string) string {
	return replyHead + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + plain + "\r\n" +
		"--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + html + "\r\n--b--\r\n"
}

// Issue 9 §2: text/plain and HTML that disagree are unclear.
func TestAlternativesDisagree(t *testing.T) {
	quote := `<div class="gmail_quote"><blockquote>Mohon balas SETUJU atau TOLAK</blockquote></div>`
	for _, c := range []struct{ plain, html, want string }{
		{"SETUJU", `<div dir="ltr">SETUJU</div>` + quote, "approve"},
		{"SETUJU", `<div dir="ltr">TOLAK data belum lengkap</div>` + quote, "unclear"},
		{"SETUJU", `<div dir="ltr"><span style="display:none">SETUJU</span>Belum, mohon dicek lagi</div>` + quote, "unclear"},
		{"TOLAK belum lengkap", `<div>SETUJU</div>`, "unclear"},
		// the HTML a reader sees shows no command at all: the approval is
		// only in what nobody sees
		{"SETUJU", `<div style="display:none">SETUJU</div>`, "unclear"},
		{"SETUJU.", `<div style="display:none">Setuju.</div>` + quote, "unclear"},
		{"SETUJU", quote + `<div>TOLAK</div>`, "unclear"},
		// a retraction below the quote is shown too
		{"Setuju.", `<div>Setuju.</div>` + quote + `<div>Maaf, ralat: saya tidak setuju.</div>`, "unclear"},
	} {
		p := mustParse(t, altMsg(c.plain, c.html), Options{})
		if string(p.Command) != c.want || c.want == "unclear" && p.UnclearWhy == "" {
			t.Errorf("plain %q html %q: %q (%s), want %q", c.plain, c.html, p.Command, p.UnclearWhy, c.want)
		}
	}
}

// Issue 15 class 9: kinds.
func TestKinds(t *testing.T) {
	cal := func(method, partstat string) string {
		ps := ""
		if partstat != "" {
			ps = ";PARTSTAT=" + partstat
		}
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:" + method + "\r\nBEGIN:VEVENT\r\nUID:abcdefghijklmnopqrst@dinsos.bangkatengahkab.go.id\r\n" +
			"DTSTAMP:20240513T010000Z\r\nATTENDEE" + ps + ":mailto:kasubag@dinsos.bangkatengahkab.go.id\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	newMsg := "From: kasubag@dinsos.bangkatengahkab.go.id\r\nMessage-ID: <n@x>\r\n"
	calMsg := func(subject, method, partstat string, googleICS bool) string {
		m := newMsg + "Subject: " + subject + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n" +
			"--m\r\nContent-Type: text/plain\r\n\r\n\r\n--m\r\nContent-Type: text/calendar; method=" + method + "\r\n\r\n" + cal(method, partstat)
		if googleICS {
			m += "--m\r\nContent-Type: application/ics; name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\n" +
				"Content-Transfer-Encoding: base64\r\n\r\n" + b64(cal(method, partstat)) + "\r\n"
		}
		return m + "--m--\r\n"
	}
	cases := []struct {
		name, msg      string
		tags           []string
		kind           Kind
		cmd            Command
		partstat, dele string
	}{
		{"mailbox rules agent", replyHead + "X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\r\n\r\nSETUJU\r\n", nil, KindAutoReply, CmdNone, "", ""},
		{"auto response suppress", replyHead + "X-Auto-Response-Suppress: All\r\n\r\nSETUJU\r\n", nil, KindAutoReply, CmdNone, "", ""},
		{"zimbra vacation", replyHead + "Auto-Submitted: auto-replied (zimbra; vacation)\r\n\r\nSETUJU\r\n", nil, KindAutoReply, CmdNone, "", ""},
		{"sieve vacation", replyHead + "Auto-Submitted: auto-replied\r\n\r\nSaya cuti. SETUJU\r\n", nil, KindAutoReply, CmdNone, "", ""},
		{"Diterima prefix", calMsg("Diterima: Rapat Tim LAKIP", "REPLY", "", false), nil, KindCalendarReply, CmdNone, "ACCEPTED", ""},
		{"Ditolak prefix", calMsg("Ditolak: Rapat Tim LAKIP", "REPLY", "", false), nil, KindCalendarReply, CmdNone, "DECLINED", ""},
		{"Tentative prefix", calMsg("Tentative: Rapat Tim LAKIP", "REPLY", "", false), nil, KindCalendarReply, CmdNone, "TENTATIVE", ""},
		{"Google invite.ics", calMsg("Accepted: Rapat Tim LAKIP", "REPLY", "ACCEPTED", true), nil, KindCalendarReply, CmdNone, "ACCEPTED", ""},
		{"TRS forward", newMsg + "Subject: TRS: Periksa LAKIP\r\n\r\nMohon dicek.\r\n", nil, KindForward, CmdNone, "", ""},
		{"Teruskan forward", newMsg + "Subject: Teruskan: Periksa LAKIP\r\n\r\nMohon dicek.\r\n", nil, KindForward, CmdNone, "", ""},
		{"BLS reply", newMsg + "Subject: BLS: Periksa LAKIP\r\n\r\nSETUJU\r\n", nil, KindReply, CmdApprove, "", ""},
		{"Balas reply", newMsg + "Subject: Balas: Periksa LAKIP\r\n\r\nSETUJU\r\n", nil, KindReply, CmdApprove, "", ""},
		{"new mail with tag", newMsg + "Subject: LAKIP 2024 sudah saya periksa\r\n\r\nSETUJU\r\n", []string{"SOP.017.SEKRE", "LAKIP"}, KindReply, CmdApprove, "", ""},
		{"new mail, tag inside a word", newMsg + "Subject: LAKIPNYA\r\n\r\nSETUJU\r\n", []string{"LAKIP"}, KindOther, CmdApprove, "", ""},
		{"new mail without tag", newMsg + "Subject: halo\r\n\r\nSETUJU\r\n", []string{"LAKIP"}, KindOther, CmdApprove, "", ""},
		{"text RSVP", replyHead + "\r\nInsya Allah hadir.\r\n", nil, KindReply, CmdNone, "ACCEPTED", ""},
		{"text RSVP delegated", replyHead + "\r\nMohon maaf tidak dapat hadir, diwakilkan oleh Kasi Perencanaan.\r\n", nil, KindReply, CmdNone, "DELEGATED", "Kasi Perencanaan"},
	}
	for _, c := range cases {
		p := mustParse(t, c.msg, Options{Tags: c.tags})
		if p.Kind != c.kind || p.Command != c.cmd || p.PartStat != c.partstat || c.dele != "" && !strings.EqualFold(p.Delegate, c.dele) {
			t.Errorf("%s: kind %q command %q partstat %q delegate %q (auto %q), want %q %q %q %q",
				c.name, p.Kind, p.Command, p.PartStat, p.Delegate, p.AutoReason, c.kind, c.cmd, c.partstat, c.dele)
		}
		if len(p.Attachments) != 0 || len(p.Rejected) != 0 {
			t.Errorf("%s: attachments %+v rejected %+v", c.name, p.Attachments, p.Rejected)
		}
	}
}

// go-ical panics on some content lines (found by FuzzCalendarReply): a
// calendar part in a mail must not take the daemon down.
func TestCalendarPanicContained(t *testing.T) {
	msg := replyHead + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n" +
		"--m\r\nContent-Type: text/plain\r\n\r\nSETUJU\r\n--m\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n0;0=\r\n--m--\r\n"
	p := mustParse(t, msg, Options{})
	if p.Command != CmdApprove || p.Kind != KindReply {
		t.Errorf("command %q kind %q", p.Command, p.Kind)
	}
}

func TestIndexFold(t *testing.T) {
	for _, c := range []struct {
		s, w string
		want int
	}{
		{"abc<STYLE>", "<style", 3}, {"<StYlE", "<style", 0}, {"xx<blockQuote", "<blockquote", 2},
		{"<styl", "<style", -1}, {"", "<style", -1}, {"y", "<style", -1}, {"a gmail_quote b", "gmail_quote", 2},
	} {
		if got := indexFold([]byte(c.s), c.w); got != c.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", c.s, c.w, got, c.want)
		}
	}
}
