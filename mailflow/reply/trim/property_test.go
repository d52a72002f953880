package trim

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// Property tests: generated replies that try to break the rules of the
// trimmer. Each uses fixed seeds, so a failure is reproducible.

// startWords begin the sentences an official writes right above an
// attribution: every attribution start word, words that only begin with
// one ("Only", "Email", "Atas", "Dengan"), and plain ones.
var startWords = []string{"on", "On", "ON", "Only", "Once", "Online", "pada", "Pada", "PADA", "Padahal", "le", "Le", "Lebih",
	"am", "Am", "Ambil", "el", "El", "Eligible", "tanggal", "Tanggal", "Tanggalnya", "dengan", "Dengan", "den", "atas", "Atas",
	"at", "At", "email", "Email", "Emailnya", "em", "Em", "in", "In", "Insya", "il", "Il", "op", "Op", "Opini", "dne", "dnia",
	"kl.", "Kl", "w dniu", "på", "Catatan:", "Catatan", "NB:", "PS:", "Mohon", "Untuk", "Saya", "Kami", "Please", "Also", "I",
	"13/05/2024", "2024-05-13", "5", "Tgl", "Sesuai", "Terkait", "Berdasarkan", "Pak", "Bu"}

// sentenceWords: Indonesian and English words of a reply, with digits,
// dates and times; none is a wrote word, a header key or a sign-off.
var sentenceWords = []string{"prinsipnya", "setuju", "SETUJU", "saya", "kami", "bisa", "hadir", "draf", "LAKIP", "tabel",
	"bab", "II", "sudah", "belum", "lengkap", "mohon", "dicek", "angka", "realisasi", "anggaran", "perbaiki", "halaman",
	"lampiran", "Kepala", "Dinas", "Bapak", "Ibu", "rapat", "pukul", "10.00", "09:30", "5", "27", "13/05/2024", "2024",
	"Mei", "Senin", "Monday", "one", "thing", "page", "figures", "the", "is", "fine", "please", "check", "table", "before",
	"Friday", "at", "on", "pada", "le", "am", "el", "tanggal", "dengan", "atas", "email", "via", "ini", "itu", "dan", "atau",
	"yang", "ke", "di", "dari", "untuk", "ok", "baik", "lanjutkan", "diteruskan", "prinsip", "catatan", "nanti", "hari"}

// sentenceEnds: how the sentence line ends.
var sentenceEnds = []string{"", ".", ",", ":", "!", "?", "...", " :)", " -"}

func genSentence(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(startWords[r.Intn(len(startWords))])
	for n := r.Intn(12); n >= 0; n-- {
		b.WriteByte(' ')
		b.WriteString(sentenceWords[r.Intn(len(sentenceWords))])
	}
	b.WriteString(sentenceEnds[r.Intn(len(sentenceEnds))])
	return b.String()
}

// plainSentence: the generated line is a sentence of text, not a line a
// trimmer rightly drops (a sign-off, a name or title, a footer).
func plainSentence(s string) bool {
	t := strings.TrimSpace(s)
	return !matchClosing(t) && sigLineKind(t) == sigNone && !matchMobileSig(t) && !dashSigRe.MatchString(t) &&
		!matchDisclaimer(t) && !nameDashRe.MatchString(t)
}

// attributions are the quote headers of the clients officials use; %s is
// where the quoted history goes (already with its own marks).
var attributions = []struct{ name, head string }{
	{"gmail en", "On Mon, May 13, 2024 at 8:00 AM Sekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id> wrote:\n"},
	{"gmail en wrapped", "On Mon, May 13, 2024 at 8:00 AM Sekretariat Dinsos PMD <\nsekretariat@dinsospmd.bangkatengah.go.id> wrote:\n"},
	{"gmail id", "Pada tanggal Sen, 13 Mei 2024 pukul 08.00 Sekretariat <sekretariat@dinsospmd.bangkatengah.go.id> menulis:\n"},
	{"gmail id wrapped", "Pada tanggal Sen, 13 Mei 2024 pukul 08.00 Sekretariat Dinsos PMD <\nsekretariat@dinsospmd.bangkatengah.go.id> menulis:\n"},
	{"gmail id wrapped 3", "Pada tanggal Sen, 13 Mei 2024 pukul 08.00 Sekretariat Dinsos PMD\n<sekretariat@dinsospmd.bangkatengah.go.id>\nmenulis:\n"},
	{"apple", "On May 13, 2024, at 08:00, Sekretariat <sekretariat@dinsospmd.bangkatengah.go.id> wrote:\n"},
	{"apple id", "Pada 13 Mei 2024, pukul 08.00, Sekretariat <sekretariat@dinsospmd.bangkatengah.go.id> menulis:\n"},
	{"thunderbird", "On 13/05/2024 08:00, Sekretariat Dinsos PMD wrote:\n"},
	{"thunderbird id", "Pada 13/05/24 08.00, Sekretariat Dinsos PMD menulis:\n"},
	{"german", "Am 13.05.2024 um 08:00 schrieb Sekretariat <s@x.id>:\n"},
	{"name only", "Sekretariat Dinsos PMD <sekretariat@dinsospmd.bangkatengah.go.id> menulis:\n"},
	{"name only en", "Sekretariat Dinsos PMD wrote:\n"},
	{"thunderbird wrapped after the date", "On 13/05/2024 08:00, Sekretariat Dinas Sosial Pemberdayaan Masyarakat dan\nDesa wrote:\n"},
	{"french", "Le lun. 13 mai 2024 à 08:00, Sekretariat <s@x.id> a écrit :\n"},
	{"outlook", "-----Original Message-----\nFrom: Sekretariat <s@x.id>\nSent: Monday, May 13, 2024 8:00 AM\nTo: Budi <b@x.id>\nSubject: Langkah 8\n\n"},
	{"outlook id", "________________________________\nDari: Sekretariat <s@x.id>\nDikirim: Senin, 13 Mei 2024 08.00\nKepada: Budi <b@x.id>\nPerihal: Langkah 8\n\n"},
	{"outlook id bare", "Dari: Sekretariat <s@x.id>\nDikirim: Senin, 13 Mei 2024 08.00\nKepada: Budi <b@x.id>\nPerihal: Langkah 8\n\n"},
	{"lotus", "Sekretariat Dinsos PMD <s@x.id>\n05/13/2024 08:00 AM\nTo: Budi/DINSOS\ncc:\nSubject: Langkah 8\n\n"},
}

// quotedHistory returns the quoted assignment with marker words that must
// never reach Text; gt says whether the lines carry "> ".
func quotedHistory(r *rand.Rand, gt bool) (string, []string) {
	var b strings.Builder
	var marks []string
	for n := 2 + r.Intn(6); n > 0; n-- {
		m := fmt.Sprintf("QHIST%04d", r.Intn(10000))
		marks = append(marks, m)
		line := fmt.Sprintf("Mohon balas SETUJU atau TOLAK %s untuk langkah %d.", m, r.Intn(20))
		if gt {
			line = strings.Repeat("> ", 1+r.Intn(2)) + line
		}
		b.WriteString(line + "\n")
		if gt && r.Intn(3) == 0 {
			b.WriteString(">\n")
		}
	}
	return b.String(), marks
}

// TestPropSentenceAboveAttribution: any sentence directly above an
// attribution, with or without a blank line, is kept in Text.
func TestPropSentenceAboveAttribution(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	tried := 0
	for n := 0; n < 20000; n++ {
		s := genSentence(r)
		if !plainSentence(s) {
			continue
		}
		a := attributions[r.Intn(len(attributions))]
		gt := !strings.Contains(a.name, "outlook") && a.name != "lotus" || r.Intn(3) == 0
		hist, _ := quotedHistory(r, gt)
		lead := []string{"", "SETUJU\n", "Yth. Bapak Sekretaris,\n\n", "TOLAK\n"}[r.Intn(4)]
		sep := []string{"\n", "\n\n", "\r\n"}[r.Intn(3)]
		in := lead + s + sep + a.head + hist
		tried++
		if out := Text(in); !hasLine(out, s) {
			t.Fatalf("sentence dropped above %s:\n%s\n--- got\n%s", a.name, in, out)
		}
	}
	if tried < 10000 {
		t.Fatalf("only %d sentences tried", tried)
	}
}

// TestPropQuoteAfterAttributionNeverKept: no line of a ">" block right
// after an attribution reaches Text, whatever comes around it.
func TestPropQuoteAfterAttributionNeverKept(t *testing.T) {
	r := rand.New(rand.NewSource(16))
	for n := 0; n < 20000; n++ {
		a := attributions[r.Intn(len(attributions))]
		hist, marks := quotedHistory(r, true)
		var b strings.Builder
		switch r.Intn(4) {
		case 0: // top-posted
			b.WriteString(genSentence(r) + "\n")
		case 1: // top-posted with a blank line and a signature
			b.WriteString(genSentence(r) + "\n\n" + genSentence(r) + "\n\nSalam,\nBudi\n\n")
		case 2: // bottom-posted: nothing above
		case 3: // only a greeting above
			b.WriteString("Yth. Bapak,\n\n")
		}
		b.WriteString(a.head + hist)
		if r.Intn(2) == 0 {
			// an answer below the quote, then more quote
			b.WriteString("\n" + genSentence(r) + "\n\n> " + genSentence(r) + "\n")
		}
		in := b.String()
		out := Text(in)
		for _, m := range marks {
			if strings.Contains(out, m) {
				t.Fatalf("quoted line %s kept (%s):\n%s\n--- got\n%s", m, a.name, in, out)
			}
		}
	}
}

// hasLine reports whether s (trimmed, its spaces normalised as Text
// does) is one of the lines of out.
func hasLine(out, s string) bool {
	s = strings.TrimSpace(Lines(s)[0])
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == s {
			return true
		}
	}
	return false
}

// FuzzTextInvariants: for any sentence line and any attribution form, the
// sentence above the attribution is kept and the quote below it is not.
func FuzzTextInvariants(f *testing.F) {
	f.Add("Pada prinsipnya setuju.", uint8(3), true)
	f.Add("Tanggal 5 bisa", uint8(1), false)
	f.Add("Only one thing", uint8(0), false)
	f.Add("Catatan: 13/05/2024 10:00:", uint8(7), false)
	f.Add("Email ini SETUJU", uint8(12), false)
	f.Fuzz(func(t *testing.T, s string, form uint8, blankLine bool) {
		if strings.ContainsAny(s, "\r\n>") || !plainSentence(s) || strings.TrimSpace(s) == "" || len(s) > 300 {
			return
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return // a rule ("=====") above a header block is a separator
		}
		if n := quoteHeader([]string{s, ""}, 0); n > 0 || attribution(s, []string{s, "> x"}, 1, true) || matchHdrKey(s) {
			return // the line is a quote header of its own, or a header field ("To: …") that joins one below
		}
		a := attributions[int(form)%len(attributions)]
		sep := "\n"
		if blankLine {
			sep = "\n\n"
		}
		in := "SETUJU\n" + s + sep + a.head + "> QHIST0001 Mohon balas.\n> QHIST0002\n"
		out := Text(in)
		if !hasLine(out, s) {
			t.Fatalf("sentence %q dropped above %s:\n%s", s, a.name, out)
		}
		if strings.Contains(out, "QHIST") {
			t.Fatalf("quote kept below %s:\n%s", a.name, out)
		}
	})
}
