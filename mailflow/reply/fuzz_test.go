package reply

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// FuzzParse: MIME to text never panics and the new text is never longer
// than the input (plus the little HTML-to-text adds).
func FuzzParse(f *testing.F) {
	addGolden(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(bytes.NewReader(b), Options{MaxAttachment: 1 << 20})
		if err != nil {
			return
		}
		if len(p.Text) > 2*len(b)+64 {
			t.Fatalf("text of %d bytes from %d bytes of input", len(p.Text), len(b))
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
		if c == grammar.Approve {
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
