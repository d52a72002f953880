package trim

import (
	"math/rand"
	"strings"
	"testing"
)

// attrSamples are lines around the attribution patterns: the hand-written
// matchers must agree with the regexps on every one.
var attrSamples = []string{
	"On Mon, May 13, 2024 at 8:00 AM Budi <budi@example.id> wrote:",
	"Pada tanggal Sen, 13 Mei 2024 pukul 08.00 mailflow < mailflow@dinsos.go.id> menulis:",
	"Pada Sen, 13 Mei 2024 08.00, Budi menulis:",
	"  > > On Tue, Jan 1, 2019, X wrote: ",
	"Le 12 mai 2024 à 10:00, Jean a écrit :",
	"El lun, 13 may 2024 a las 10:00, Ana escribió:",
	"Am 13.05.2024 um 10:00 schrieb Hans:",
	"Op 13 mei 2024 om 10:00 heeft Jan het volgende geschreven:",
	"W dniu 13.05.2024 o 10:00, Jan napisał(a):",
	"Dne 13. 5. 2024 v 10:00 Jan napsal(a):",
	"13/05/2024 10:00, Budi wrote:",
	"2024-05-13 10:00 GMT+07:00 Budi <b@x.id>:",
	"13.5.2024 klo 10.00 Matti kirjoitti:",
	"kl. 10:00 skrev Ola:",
	"ON MONDAY JOHN WROTE...",
	"on Monday John wrote：",
	"online, someone wrote",
	"onwrote:",
	"Kelvin \u212Aelvin wrote:",
	"\u212Al. 10 skrev Ola:",
	"På mandag skrev Ola:",
	"P\u212B mandag skrev Ola:",
	"Pada\nSenin menulis:",
	"Pada Senin\n menulis:",
	"On Monday Bob wrote\n",
	"Όταν έγραψε:",
	"в понедельник Иван написал(а):",
	"Pazartesi Ahmet yazdı:",
	"John Smith schrieb am Do. 16. Mai 2024 um 00:02:",
	"Jan napisana przez Kowalski w dniu 13.05.2024 10:00:",
	"Catatan: lanjutkan ke Kepala Dinas.",
	"SETUJU",
	"",
	"   ",
	">",
	"1/2 wrote:",
	"12345/1/1 wrote:",
	"1234/12/1 wrote:",
	"1234/123/1 wrote:",
	"12-1-",
	"12-1-9",
	"12-1 x",
	"1.2 ",
	"12345.6 ",
	"tanggal 5 menulis",
	"pada:",
	"sent",
	"wrote:",
	"Sent: Monday",
	"at 10:00 I sent:",
	"in reply to what was sent ...",
	"Le lundi, Jean \xe9crit :",
	"On \xff\xfe wrote:",
	"\xc3 On wrote:",
	"On x wrote\xc3:",
	"2013/11/1 John Smith <john@smith.org>",
	"2013/11/1 John Smith <john@smith.org>:",
	"user@example.com 님이 작성:",
	"2024年5月13日(月) 10:00 田中 <t@x.jp>:のメッセージ:",
	"Budi (wrote: 12:",
	"Budi,wrote 1:",
	"Budi,wrote 1 and then forty more characters are here, right:",
	"Budi wrote 1 and then forty more characters are here, ok:",
	"Budi wrote\n 1:",
	"Only one thing, Budi wrote:",
	"Email dari Budi wrote:",
	"Atas 5 menulis:",
	"Dengan ini Budi menulis:",
	"On\nMonday Bob wrote:",
	"On, Monday Bob wrote:",
	"På, mandag skrev Ola:",
	"Påminnelse skrev Ola:",
	"kl.10 skrev Ola:",
	"On2 wrote:",
	"On\xff wrote:",
	"Oné wrote:",
	"On wrote:",
}

func TestAttrMatchersAgree(t *testing.T) {
	for _, s := range attrSamples {
		checkAttrAgree(t, s)
	}
}

func checkAttrAgree(t *testing.T, s string) {
	t.Helper()
	if got, want := matchAttr(s), attrRe.MatchString(s); got != want {
		t.Errorf("matchAttr(%q) = %v, attrRe says %v", s, got, want)
	}
	if got, want := matchAttrStart(s), attrStartRe.MatchString(s); got != want {
		t.Errorf("matchAttrStart(%q) = %v, attrStartRe says %v", s, got, want)
	}
	if got, want := matchAttrMid(s), attrMidRe.MatchString(s); got != want {
		t.Errorf("matchAttrMid(%q) = %v, attrMidRe says %v", s, got, want)
	}
	if got, want := endsWithWroteWord(s) && attrLooseRe.MatchString(s), attrLooseRe.MatchString(s); got != want {
		t.Errorf("attrLoose gate(%q) = %v, attrLooseRe says %v", s, got, want)
	}
	if got, want := matchCJKAttr(s), cjkAttrRe.MatchString(s); got != want {
		t.Errorf("matchCJKAttr(%q) = %v, cjkAttrRe says %v", s, got, want)
	}
	if got, want := matchDateMail(s), dateMailRe.MatchString(s); got != want {
		t.Errorf("matchDateMail(%q) = %v, dateMailRe says %v", s, got, want)
	}
}

// FuzzAttrMatchers: the hand-written matchers give the regexps' answers.
func FuzzAttrMatchers(f *testing.F) {
	for _, s := range attrSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 {
			return
		}
		checkAttrAgree(t, s)
	})
}

func TestExpandAlternation(t *testing.T) {
	got := expandAlternation(`ab|[xy]z|n\(?a?\)?`)
	want := []string{"ab", "xz", "yz", "n(a)", "n(a", "n()", "n(", "na)", "na", "n)", "n"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// TestAttrMatchersAgreeRandom compares the matchers with the regexps on
// random strings built from the patterns' own pieces.
func TestAttrMatchersAgreeRandom(t *testing.T) {
	toks := []string{" ", "  ", "\t", "\n", ">", "> ", ":", "：", "...", "..", ".", "/", "-", "(", ")", ",", "a", "1", "12", "123", "2024", "12345",
		"\u212A", "\u017F", "\u212B", "\xc3", "\xff", "é", "É", "<b@x.id>", "@", "<", "的", "のメッセージ", "작성", "님이 작성", "wrote", "写道"}
	toks = append(toks, wroteVariants...)
	toks = append(toks, attrStartWords...)
	for _, w := range []string{"On", "PADA", "Tanggal", "W DNIU", "På", "PÅ", "KL", "Kl.", "WROTE", "Menulis", "SENT", "Sent", "ÉCRIT", "NAPISAŁ(A)", "ON", "Ha Scritto"} {
		toks = append(toks, w)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		n := 1 + r.Intn(9)
		for j := 0; j < n; j++ {
			b.WriteString(toks[r.Intn(len(toks))])
		}
		checkAttrAgree(t, b.String())
		if t.Failed() {
			return
		}
	}
}
