package trim

import (
	"math/rand"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
)

// gated pairs each gated matcher with the pattern whose answer it must give.
var gated = []struct {
	name  string
	re    *regexp.Regexp
	match func(string) bool
}{
	{"compactHdr", compactHdrRe, matchCompactHdr},
	{"disclaimer", disclaimerRe, matchDisclaimer},
	{"mobileSig", mobileSigRe, matchMobileSig},
	{"closing", closingRe, matchClosing},
	{"hdrKey", hdrKeyRe, matchHdrKey},
	{"hdrFrom", hdrFromRe, matchHdrFrom},
	{"inlineAttr", inlineAttrRe, matchInlineAttr},
	{"midAttr", midAttrRe, func(s string) bool { return findMidAttr(s) != nil }},
	{"attr", attrRe, matchAttr},
	{"attrStart", attrStartRe, matchAttrStart},
	{"attrMid", attrMidRe, matchAttrMid},
	{"cjkAttr", cjkAttrRe, matchCJKAttr},
	{"dateMail", dateMailRe, matchDateMail},
	{"fwd", fwdRe, matchFwd},
	{"sep", sepRe, matchSep},
}

// samples spells out strings that a pattern matches: every alternative,
// optional parts with and without, repeats at their minimum and one more.
func samples(re *syntax.Regexp, limit int) []string {
	// cross concatenates a and b: every element of each side appears at
	// least once, then more pairs up to the limit
	cross := func(a, b []string) []string {
		if len(a) == 0 || len(b) == 0 {
			return nil
		}
		var out []string
		for _, y := range b {
			out = append(out, a[0]+y)
		}
		for _, x := range a[1:] {
			out = append(out, x+b[0])
		}
		for _, x := range a[1:] {
			for _, y := range b[1:] {
				if len(out) < limit {
					out = append(out, x+y)
				}
			}
		}
		return out
	}
	rep := func(sub []string, n int) []string {
		out := []string{""}
		for range n {
			out = cross(out, sub)
		}
		return out
	}
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune) && len(out) < 4; i += 2 {
			out = append(out, string(re.Rune[i]))
		}
		if len(out) == 0 {
			return []string{}
		}
		return out
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return []string{"x", "1"}
	case syntax.OpCapture:
		return samples(re.Sub[0], limit)
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			out = cross(out, samples(s, limit))
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			out = append(out, samples(s, limit)...)
		}
		return out
	case syntax.OpQuest:
		return append([]string{""}, samples(re.Sub[0], limit)...)
	case syntax.OpStar:
		return append([]string{""}, samples(re.Sub[0], limit)...)
	case syntax.OpPlus:
		sub := samples(re.Sub[0], limit)
		return append(sub, rep(sub, 2)...)
	case syntax.OpRepeat:
		sub := samples(re.Sub[0], limit)
		out := rep(sub, re.Min)
		if re.Max < 0 || re.Max > re.Min {
			out = append(out, rep(sub, re.Min+1)...)
		}
		return out
	}
	return []string{""}
}

// foldVariants: the sample, upper-cased, and with the exotic folds the
// regexp accepts (Kelvin sign, long s).
func foldVariants(s string) []string {
	exotic := strings.NewReplacer("k", "\u212a", "s", "\u017f", "å", "\u212b")
	return []string{s, strings.ToUpper(s), exotic.Replace(s), " " + s + " ", "> " + s + ":", s + " 12:"}
}

func checkGate(t *testing.T, name string, re *regexp.Regexp, match func(string) bool, s string) {
	t.Helper()
	if got, want := match(s), re.MatchString(s); got != want {
		t.Errorf("%s(%q) = %v, the pattern says %v", name, s, got, want)
	}
}

func TestGatesAgreeOnPatternSamples(t *testing.T) {
	for _, g := range gated {
		re, err := syntax.Parse(g.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		matched := 0
		for _, s := range samples(re.Simplify(), 3000) {
			for _, v := range foldVariants(s) {
				if g.re.MatchString(v) {
					matched++
				}
				checkGate(t, g.name, g.re, g.match, v)
			}
		}
		if matched == 0 {
			t.Errorf("%s: no sample matched", g.name)
		}
	}
}

func TestGatesAgreeRandom(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	var toks []string
	for _, g := range gated {
		re, _ := syntax.Parse(g.re.String(), syntax.Perl)
		for _, s := range samples(re.Simplify(), 300) {
			for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
				toks = append(toks, f)
			}
		}
	}
	toks = append(toks, " ", " ", "\t", "\n", ":", "：", "-", ">", "*", "12", "2024", "@", "<", "\u212a", "\u017f", "\xff")
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := 1 + r.Intn(8); n > 0; n-- {
			b.WriteString(toks[r.Intn(len(toks))])
			if r.Intn(3) > 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		for _, g := range gated {
			checkGate(t, g.name, g.re, g.match, s)
		}
		if t.Failed() {
			return
		}
	}
}

// FuzzGates: every gated matcher gives its pattern's answer.
func FuzzGates(f *testing.F) {
	f.Add("Sent from my iPhone")
	f.Add("From: a@b.id Sent: Monday To: c@d.id Subject: x")
	f.Add("Pada tanggal Sen, 13 Mei 2024 pukul 08.00 X <x@y.id> menulis:")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 {
			return
		}
		for _, g := range gated {
			checkGate(t, g.name, g.re, g.match, s)
		}
	})
}

func TestContainsFold(t *testing.T) {
	for _, c := range []struct {
		s, w string
		want bool
	}{
		{"Rapat besok", "BESOK", true},
		{"rapat", "pat", true},
		{"pukul", "pukul", true},
		{"PU\u212aUL", "pukul", true},
		{"be\u017fok", "besok", true},
		{"\u017f", "S", true},
		{"Catatan", "tanggal", false},
		{"", "x", false},
		{"x\x00y", "\x00", true},
		{"ÉCRIT", "écrit", true},
		{"a", "", true},
		{"kind", "\u212aIND", true},
		{"Sent", "\u017fent", true},
	} {
		if got := containsFold(c.s, c.w); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v", c.s, c.w, got)
		}
	}
}
