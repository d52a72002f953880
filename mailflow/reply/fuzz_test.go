package reply

import (
	"bytes"
	"errors"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"golang.org/x/net/html"
	"golang.org/x/net/publicsuffix"

	"github.com/bangkatengah/mailflow/mailflow/blob"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
	"github.com/bangkatengah/mailflow/mailflow/reply/idate"
	"github.com/bangkatengah/mailflow/mailflow/reply/trim"
)

func addGolden(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
}

// FuzzParse: MIME to text never panics, and the quarantine contract holds
// (see Parse): from an in-memory source with a working blob store, an
// error is only ever ErrMalformed, comes with no result, and leaves no
// partial blob; every attachment reported is stored whole.
func FuzzParse(f *testing.F) {
	addGolden(f)
	f.Add([]byte("From x@y Mon May 13 08:00:00 2024\nFrom: a@b\n\nSETUJU\n"))
	f.Add([]byte("   \r\nSubject: x\r\n\r\nSETUJU"))
	f.Add([]byte(attachMsg("SELESAI", part{"a.pdf", "application/pdf", "!!bad"}, part{"b.pdf", "application/pdf", pdf(10)})))
	f.Add([]byte(subjectMsg("SETUJU Re: [LAKIP 2025 - Langkah 8] Mohon paraf", quotedAssignment)))
	f.Add([]byte(subjectMsg("Re: [LAKIP 2025 - Langkah 8] Mohon paraf", "Setuju\r\n\r\n"+pastedLetter(rand.New(rand.NewSource(1))))))
	dir := f.TempDir()
	st, err := blob.Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(bytes.NewReader(b), Options{Blobs: st, MaxAttachment: 1 << 20})
		if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) > 0 {
			t.Fatalf("%d partial blob files left behind", len(tmp))
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) || p != nil {
				t.Fatalf("error %v (result %v): want only ErrMalformed, without a result", err, p != nil)
			}
			return
		}
		if p.FromSubject && !strings.HasPrefix(strings.TrimSpace(p.Subject), p.Text) {
			t.Fatalf("text %q read from the subject %q is not what was typed before its prefix", p.Text, p.Subject)
		}
		if len(p.Text) > 2*len(b)+64 {
			t.Fatalf("text of %d bytes from %d bytes of input", len(p.Text), len(b))
		}
		for _, a := range append(p.Attachments, p.InlineImages...) {
			if !st.Has(a.SHA256) {
				t.Fatalf("attachment %q reported but not stored", a.Filename)
			}
		}
		if p.FromCount == 0 && p.From != "" {
			t.Fatalf("From %q counted as 0 addresses", p.From)
		}
	})
}

// FuzzTrim: the trimmers never panic and never grow their input.
func FuzzTrim(f *testing.F) {
	f.Add("SETUJU\n\nPada tanggal Sen, 5 Agu 2024 pukul 10.15 X <\nx@y.id> menulis:\n> TOLAK\n")
	f.Add("<div>OK</div><blockquote type=cite>SETUJU</blockquote><div id=divRplyFwdMsg>x</div>")
	f.Fuzz(func(t *testing.T, s string) {
		if out := trim.Text(s); len(out) > len(s)+8 {
			t.Fatalf("trimmed text longer than input: %d > %d", len(out), len(s))
		}
		if out := trim.HTML(s); len(out) > 2*len(s)+64 {
			t.Fatalf("html text too long: %d from %d", len(out), len(s))
		}
		trim.Unflow(s, true)
	})
}

// FuzzCommand: the grammar never panics, and a negated approval is never
// an approval.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"SETUJU", "tidak setuju", "Baik,\nTOLAK alasan\nCatatan: a\nb", "Yth. Pak,\nACC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, notes := grammar.Parse(s)
		if len(notes) > len(s) {
			t.Fatalf("notes longer than input")
		}
		// "tidak keberatan", "tidak ada catatan", "tidak masalah" are the
		// idioms that approve: "tidak" before them does not negate.
		idiom := false
		for _, w := range []string{"keberatan", "masalah", "ada", "apa"} {
			idiom = idiom || strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, " \t\r\n")), w)
		}
		if c == grammar.Approve && !idiom {
			if c2, _ := grammar.Parse("tidak " + s); c2 == grammar.Approve {
				t.Fatalf("negated %q reads as approval", s)
			}
		}
	})
}

// FuzzMeeting: the date parser never panics and returns a sane year.
func FuzzMeeting(f *testing.F) {
	for _, s := range []string{"Senin, 13 Mei 2024 pukul 09.00 WIB", "13/05/2024 09:00", "13-5-2024 jam 9", "besok pukul 10.00 WITA", "Tempat: Aula"} {
		f.Add(s)
	}
	now := time.Date(2024, 5, 13, 8, 0, 0, 0, idate.WIB)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := idate.Parse(s, now, nil)
		if err == nil && m != nil && (m.Start.Year() < 1900 || m.Start.Year() > 2200) {
			t.Fatalf("year %d from %q", m.Start.Year(), s)
		}
	})
}

// FuzzAuthResults: Authentication-Results handling never panics and an
// untrusted authserv-id never yields a pass.
func FuzzAuthResults(f *testing.F) {
	f.Add("mx.example.id; dkim=pass header.d=example.id; dmarc=pass header.from=example.id")
	f.Add("evil; dkim=pass")
	f.Fuzz(func(t *testing.T, s string) {
		v := ParseAuthResults(s, "mx.example.id")
		if !v.Trusted && (v.DKIM || v.DMARC || v.SPF) {
			t.Fatalf("pass without a trusted header")
		}
	})
}

// FuzzAuthFrom: several Authentication-Results fields and a From domain.
// An aligned verdict always names the From domain (or, for DKIM, its
// organisational domain); two From addresses are never aligned.
func FuzzAuthFrom(f *testing.F) {
	f.Add("mx.example.id; dkim=pass header.d=example.id; dmarc=pass header.from=example.id\nmx.example.id; dkim=pass header.d=evil.example", "example.id")
	f.Add("evil; dkim=pass header.d=x.y\nmx.example.id; dkim=pass header.d=Dinsos.Example.ID.; dmarc=pass header.from=evil.example", "dinsos.example.id")
	f.Add("mx.example.id; dkim=pass header.d=go.id", "a.go.id")
	f.Fuzz(func(t *testing.T, fields, dom string) {
		values := strings.Split(fields, "\n")
		v := AuthFor(values, "mx.example.id", "kadis@"+dom, 1)
		d := normDomain(dom)
		org, err := publicsuffix.EffectiveTLDPlusOne(d)
		if err != nil {
			org = d
		}
		if v.DKIMAligned {
			ok := false
			for _, x := range v.DKIMDomains {
				ok = ok || normDomain(x) == d || normDomain(x) == org
			}
			if !ok || d == "" {
				t.Fatalf("DKIM aligned for From domain %q with d= %v", d, v.DKIMDomains)
			}
		}
		if v.DMARCAligned && (d == "" || !strings.Contains(strings.ToLower(fields), d)) {
			t.Fatalf("DMARC aligned for From domain %q that no field names", d)
		}
		if (v.DKIMAligned || v.DMARCAligned) && !v.Trusted {
			t.Fatalf("aligned without a trusted field")
		}
		if w := AuthFor(values, "mx.example.id", "kadis@"+dom, 2); w.DKIMAligned || w.DMARCAligned {
			t.Fatalf("aligned with two From addresses")
		}
	})
}

// FuzzCalendarReply: the iCalendar reader never panics; an answer is only
// read from a METHOD:REPLY, and the attendee is a bare address.
func FuzzCalendarReply(f *testing.F) {
	f.Add("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x@y\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:A@B.id\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f.Add("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x@y\r\nATTENDEE;PARTSTAT=DECLINED:mailto:a@b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, ps, att := CalendarReply(strings.NewReader(s))
		if ps != "" && !strings.Contains(strings.ToUpper(s), "REPLY") {
			t.Fatalf("partstat %q without METHOD:REPLY", ps)
		}
		if strings.HasPrefix(strings.ToLower(att), "mailto:") || att != strings.ToLower(att) {
			t.Fatalf("attendee %q", att)
		}
	})
}

// FuzzDSN: the delivery-status reader never panics; a failure it calls
// permanent has a 5.x.x status or a failed action.
func FuzzDSN(f *testing.F) {
	f.Add("Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: 5.1.1\r\n")
	f.Add("Final-Recipient: rfc822;<x@y>\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\nFinal-Recipient: rfc822; z@y\r\nAction: failed\r\nStatus: 5.0.0\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		b := ReadDeliveryStatus(strings.NewReader(s))
		if b.Permanent && !strings.HasPrefix(b.Status, "5") && !strings.Contains(strings.ToLower(s), "failed") {
			t.Fatalf("permanent without 5.x.x or failed: %+v", b)
		}
		if strings.ContainsAny(b.Recipient, "\r\n") {
			t.Fatalf("recipient %q", b.Recipient)
		}
	})
}

// FuzzClassify: header-only classification never panics, and a message
// that says it was auto-submitted is never a person's reply.
func FuzzClassify(f *testing.F) {
	f.Add("Subject: Re: LAKIP\nFrom: a@b", "auto-replied")
	f.Add("Subject: Balasan otomatis: x\nX-Auto-Response-Suppress: All", "no")
	f.Add("From: mailer-daemon@x\nSubject: Undelivered Mail", "")
	f.Fuzz(func(t *testing.T, fields, auto string) {
		h := MapHeader{}
		for _, l := range strings.Split(fields, "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok {
				h[k] = append(h[k], strings.TrimSpace(v))
			}
		}
		Classify(h)
		a := strings.ToLower(strings.TrimSpace(auto))
		if a == "" || a == "no" {
			return
		}
		for k := range h {
			if strings.EqualFold(k, "Auto-Submitted") {
				delete(h, k)
			}
		}
		h["Auto-Submitted"] = []string{auto}
		if k, _ := Classify(h); k != KindAutoReply && k != KindBounce {
			t.Fatalf("Auto-Submitted: %q classified %q", auto, k)
		}
	})
}

// FuzzFilename: a decoded, sanitised filename is metadata only: no path
// separator, no control or format character, no leading dot, bounded.
func FuzzFilename(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", "=?UTF-8?B?Li4vLi4vZXZpbC5leGU=?=", "a\x00b\u202e.pdf", ".htaccess", "C:\\x\\y.pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range []string{SanitizeFilename(decodeSubject(s)), headerFilename(s)} {
			if strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") || utf8.RuneCountInString(name) > maxFilename+20 {
				t.Fatalf("filename %q from %q", name, s)
			}
			for _, r := range name {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("control character %U in %q", r, name)
				}
			}
		}
	})
}

// headerFilename reads a filename through a Content-Disposition field, as
// Parse does.
func headerFilename(s string) string {
	var h message.Header
	h.Set("Content-Disposition", "attachment; filename=\""+strings.ReplaceAll(s, "\"", "")+"\"")
	h.Set("Content-Type", "application/pdf; name*=UTF-8''"+url.PathEscape(s))
	return filename(h)
}

// FuzzHiddenHTML: text that an element hides (the hidden attribute or
// display:none, as an independent walk of the parsed tree sees them) never
// reaches the output.
func FuzzHiddenHTML(f *testing.F) {
	for _, s := range []string{
		`<div>Mohon dicek</div><div style="display:none">QZX</div>`,
		`<p hidden>QZX</p>QZX`,
		`<div style="DISPLAY : none !important"><span style="display:block">QZX</span></div>`,
		`<table><tr><td style="display:none">QZX<td>ok</table>`,
		`<blockquote>QZX</blockquote><div style="display:none"><div class="gmail_quote">QZX</div></div>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := trim.HTMLToText(s)
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		if got, max := strings.Count(out, "QZX"), shownCount(doc, false); got > max {
			t.Fatalf("hidden text reached the output: %d QZX out, at most %d shown\n%q", got, max, out)
		}
	})
}

// shownCount counts "QZX" in text nodes that no ancestor hides.
func shownCount(n *html.Node, hidden bool) int {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "hidden" {
				hidden = true
			}
			if a.Key != "style" {
				continue
			}
			for _, d := range strings.Split(a.Val, ";") {
				d, _, _ = strings.Cut(strings.ToLower(strings.Join(strings.Fields(d), "")), "!")
				if d == "display:none" {
					hidden = true
				}
			}
		}
	}
	c := 0
	if n.Type == html.TextNode && !hidden {
		c = strings.Count(n.Data, "QZX")
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c += shownCount(k, hidden)
	}
	return c
}

// FuzzSniff: an executable is refused whatever its label and name, and
// what is not refused always has a type for the allow list.
func FuzzSniff(f *testing.F) {
	f.Add([]byte("%PDF-1.7"), "application/pdf", "a.pdf")
	f.Add([]byte("PK\x03\x04[Content_Types].xml"), "application/octet-stream", "a.docx")
	f.Add([]byte("<svg>"), "image/png", "a.png")
	f.Fuzz(func(t *testing.T, head []byte, declared, name string) {
		head = head[:min(len(head), sniffLen)]
		typ, refuse := Sniff(head, declared, name)
		if refuse == "" && typ == "" && declared != "" {
			t.Fatalf("no type for %q labelled %q", head, declared)
		}
		for _, magic := range []string{"MZ", "\x7fELF", "#!", "\xCA\xFE\xBA\xBE"} {
			if _, r := Sniff(append([]byte(magic), head...), declared, name); r == "" {
				t.Fatalf("%q labelled %q (%q) not refused", magic, declared, name)
			}
		}
		if _, r := Sniff(head, declared, name+".exe"); r == "" {
			t.Fatalf("%q.exe not refused", name)
		}
	})
}
