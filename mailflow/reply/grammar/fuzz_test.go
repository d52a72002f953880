package grammar

import (
	"strings"
	"testing"
	"unicode"
)

// The vocabularies the fuzzers and property tests build lines from. The
// negation list is the grammar's whole list, so a token added there is
// fuzzed at once.
var (
	fzApprove = []string{"setuju", "disetujui", "setujui", "menyetujui", "acc", "ok", "approve", "approved",
		"agree", "stuju", "lgtm", "diacc", "paraf", "ditandatangani",
		// written apart or slipped: read as the words above
		"di acc", "di-acc", "di paraf", "tanda tangani", "di tanda tangani", "setujuu", "accc"}
	fzHedges = []string{"tapi", "tetapi", "namun", "kecuali", "asal", "asalkan", "jika", "kalau", "bila",
		"apabila", "dengan syarat", "nanti", "dulu", "mungkin", "but", "if", "unless", "maybe", "?"}
	// fzFillers stay clear of the idioms that consume a negation ("tidak
	// keberatan", "tidak ada catatan", "jangan lupa") and of digits ("No. 5"),
	// which the property excludes on purpose.
	fzFillers = []string{"pak", "bu", "bapak", "ibu", "saya", "kami", "data", "laporan", "draft", "LAKIP",
		"baik", "ya", "sudah", "dengan", "ini", "itu", "dan", "lanjutkan", "terima kasih", "yth", "kepala dinas",
		"segera", "kirim", "the", "report", "is", "fine", "dapat", "bisa", "akan", "sepenuhnya", "selamat pagi",
		"hormat", "wr", "wb", "dinas", "sosial"}
	fzPunct = []string{" ", " ", " ", ", ", ". ", "! ", "? ", "\n", " - ", "; ", "... ", "\n\n"}
)

type fzKind int

const (
	kFiller fzKind = iota
	kNeg
	kHedge
	kApprove
)

type fzWord struct {
	kind fzKind
	text string
}

// buildLine turns fuzzed bytes into words (kinds and texts) and the text
// that joins them with fuzzed punctuation and case.
func buildLine(data []byte) ([]fzWord, string) {
	negs := NegationTokens()
	var ws []fzWord
	var b strings.Builder
	for i := 0; i+2 < len(data) && len(ws) < 24; i += 3 {
		k, pick, style := data[i], int(data[i+1]), data[i+2]
		var w fzWord
		switch k % 4 {
		case 0:
			w = fzWord{kFiller, fzFillers[pick%len(fzFillers)]}
		case 1:
			w = fzWord{kNeg, negs[pick%len(negs)]}
		case 2:
			w = fzWord{kHedge, fzHedges[pick%len(fzHedges)]}
		case 3:
			w = fzWord{kApprove, fzApprove[pick%len(fzApprove)]}
		}
		w.text = casing(w.text, style)
		if len(ws) > 0 {
			b.WriteString(fzPunct[int(style>>3)%len(fzPunct)])
		}
		ws = append(ws, w)
		b.WriteString(w.text)
	}
	return ws, b.String()
}

func casing(s string, style byte) string {
	switch style % 4 {
	case 1:
		return strings.ToUpper(s)
	case 2:
		r := []rune(s)
		r[0] = unicode.ToUpper(r[0])
		return string(r)
	case 3:
		r := []rune(s)
		for i := range r {
			if i%2 == 1 {
				r[i] = unicode.ToUpper(r[i])
			}
		}
		return string(r)
	}
	return s
}

// mustNotApprove is the oracle: a negation within two words before an
// approve word, or a hedge (or "?") in the same sentence as one.
func mustNotApprove(ws []fzWord, text string) string {
	for i, w := range ws {
		if w.kind != kApprove {
			continue
		}
		for j := i - 1; j >= 0 && j >= i-2; j-- {
			if ws[j].kind == kNeg {
				return "negation " + ws[j].text + " before " + w.text
			}
		}
	}
	// sentences: split at . ! ? and line ends; "?" stays with its sentence.
	for _, s := range strings.FieldsFunc(strings.NewReplacer("?", "?\x00").Replace(text), func(r rune) bool {
		return r == '.' || r == '!' || r == '\n' || r == 0
	}) {
		hasApprove, hedge := false, ""
		toks := tokens(s)
		for i, t := range toks {
			for _, a := range fzApprove {
				if at := tokens(a); len(at) > 0 && t.word == at[len(at)-1].word {
					hasApprove = true
				}
			}
			for _, h := range fzHedges {
				if t.word == h || h == "dengan syarat" && t.word == "syarat" && i > 0 && toks[i-1].word == "dengan" {
					hedge = h
				}
			}
		}
		if strings.Contains(s, "?") {
			hedge = "?"
		}
		if hasApprove && hedge != "" {
			return "hedge " + hedge + " in the sentence of an approval: " + s
		}
	}
	return ""
}

// FuzzGrammarNegation: no generated line with a negation token adjacent to
// (or two words before) an approve word, or with a hedge in the sentence of
// an approve word, reads as an approval.
func FuzzGrammarNegation(f *testing.F) {
	for _, s := range [][]byte{
		{1, 0, 0, 3, 0, 0},           // tidak setuju
		{1, 3, 1, 0, 24, 0, 3, 0, 0}, // NEG dapat setuju
		{3, 0, 0, 2, 0, 8},           // setuju, tapi
		{3, 0, 0, 2, 18, 0},          // setuju ?
		{0, 0, 0, 3, 1, 0},           // pak disetujui
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, text := buildLine(data)
		why := mustNotApprove(ws, text)
		if why == "" {
			return
		}
		if c, _ := Parse(text); c == Approve {
			t.Fatalf("Parse(%q) = approve; %s", text, why)
		}
		// the same line after a greeting and before a signature
		if c, _ := Parse("Yth. Bapak Sekretaris,\n\n" + text + "\n\nTerima kasih,\nBudi"); c == Approve {
			t.Fatalf("framed %q = approve; %s", text, why)
		}
	})
}

// FuzzParse: any input parses without panic, notes stay within the input,
// and a negated approval or a hedged one appended to any text that did not
// answer never makes it approve.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"SETUJU", "tidak setuju", "Baik,\nTOLAK alasan\nCatatan: a\nb", "Yth. Pak,\nACC",
		"SETUJU dengan catatan: x", "Mohon izin:\nSETUJU", "Tidak ada catatan.", "Sudah, terlampir."} {
		f.Add(s, uint8(0), uint8(0))
	}
	negs := NegationTokens()
	f.Fuzz(func(t *testing.T, s string, n, a uint8) {
		c, notes := Parse(s)
		if len(notes) > len(s) {
			t.Fatalf("notes longer than input: %q from %q", notes, s)
		}
		if len(s) > maxInput/2 {
			return
		}
		neg, app := negs[int(n)%len(negs)], fzApprove[int(a)%len(fzApprove)]
		for _, add := range []string{neg + " " + app, app + " " + fzHedges[int(n)%len(fzHedges)], app + "?"} {
			if c2, _ := Parse(s + "\n" + add); c2 == Approve {
				t.Fatalf("Parse(%q + %q) = approve (alone: %q)", s, add, c)
			}
		}
		// a negated approval on a line of its own anywhere in the text
		k := int(a) * len(s) / 256
		in := s[:k] + "\n" + neg + " " + app + "\n" + s[k:]
		if c2, _ := Parse(in); c2 == Approve {
			t.Fatalf("Parse(%q) = approve", in)
		}
	})
}

// FuzzRSVP: any input reads without panic, and an attendance word with a
// negation before it is never ACCEPTED.
func FuzzRSVP(f *testing.F) {
	for _, s := range []string{"Hadir", "Tidak dapat hadir", "Diwakilkan oleh Budi", "Insya Allah hadir", "I can't make it", ""} {
		f.Add(s, uint8(0), uint8(0))
	}
	negs := NegationTokens()
	fill := []string{"", "bisa ", "dapat ", "saya ", "akan ", "pak ", "kami bisa ", "be able to "}
	att := []string{"hadir", "Hadir", "HADIR", "attend", "datang", "accept"}
	f.Fuzz(func(t *testing.T, s string, n, k uint8) {
		ps, who := RSVP(s)
		if ps != Delegated && who != "" || len(who) > len(s) {
			t.Fatalf("RSVP(%q) = %q, %q", s, ps, who)
		}
		if !mayAnswer(s) {
			if p, _ := rsvpFull(s); p != "" {
				t.Fatalf("pre-check skipped an answer: %q reads %q", s, p)
			}
		}
		if len(s) > maxInput/2 {
			return
		}
		if p0, _ := RSVP(s + "\n"); p0 != "" {
			return // s answers by itself
		}
		line := casing(negs[int(n)%len(negs)], k) + " " + fill[int(k>>2)%len(fill)] + att[int(n>>4)%len(att)]
		if p, _ := RSVP(s + "\n" + line); p == Accepted {
			t.Fatalf("RSVP(%q + %q) = ACCEPTED", s, line)
		}
	})
}

// TestLongInputs: 64 KiB of text in one sentence, many sentences or many
// lines reads in bounded work (the benchmark measures the time).
func TestLongInputs(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("setuju tidak ", 6000),
		strings.Repeat("Setuju. ", 9000),
		strings.Repeat("a\n", 40000),
		"SETUJU " + strings.Repeat("x", 70000),
		strings.Repeat("hadir? ", 10000),
	} {
		Parse(s)
		RSVP(s)
	}
	if c, _ := Parse("SETUJU. " + strings.Repeat("Data lengkap. ", 60)); c != Unclear {
		t.Errorf("an approval in a text too long to read whole = %q, want unclear", c)
	}
}
