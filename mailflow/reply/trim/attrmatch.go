package trim

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hand-written matchers for the attribution patterns that run on every
// reply. Go's regexp runs the case-insensitive multilingual alternations
// of attrRe and attrStartRe in tens of microseconds per line; these give
// exactly the same answers (the regexps stay in patterns.go, and
// attrmatch_test.go checks the two against each other) in well under one.
//
// Case folding is the regexp's (?i) folding: simple Unicode case folding,
// rune by rune (so "K" also matches the Kelvin sign, as the regexp does).

// wroteVariants are the literal words that wroteWords matches, its
// character classes and optional parts spelt out.
var wroteVariants = expandAlternation(wroteWords)

// attrStartWords are the word alternatives that begin attrRe (the date
// alternative is checked by hand); attrStartReWords those of attrStartRe.
var (
	attrStartWords = []string{"on", "pada", "op", "le", "am", "el", "il", "em", "den", "dne", "w dniu", "på",
		"tanggal", "in", "at", "kl", "dnia"}
	attrStartReWords = []string{"on", "pada", "op", "le", "am", "el", "il", "em", "den", "dne", "w dniu", "på", "tanggal"}
)

// reSpace is the regexp's \s: [\t\n\f\r ].
func reSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// foldEq reports whether the input rune r matches the pattern rune c under
// (?i): r is in c's simple case-folding orbit.
func foldEq(r, c rune) bool {
	if r == c {
		return true
	}
	if r < utf8.RuneSelf && c < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z' && r+'a'-'A' == c || 'A' <= c && c <= 'Z' && c+'a'-'A' == r
	}
	for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return false
}

// prefixFold reports whether s begins with w under (?i), and where in s
// the match ends.
func prefixFold(s, w string) (int, bool) {
	i := 0
	for _, c := range w {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !foldEq(r, c) {
			return 0, false
		}
		i += n
	}
	return i, true
}

// suffixFold reports whether s ends with w under (?i), and where in s the
// match starts.
func suffixFold(s, w string) (int, bool) {
	i := len(s)
	for j := len(w); j > 0; {
		c, m := utf8.DecodeLastRuneInString(w[:j])
		j -= m
		if i == 0 {
			return 0, false
		}
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !foldEq(r, c) {
			return 0, false
		}
		i -= n
	}
	return i, true
}

// skipQuoteSpace returns the index of the first byte of s that is not in
// [\s>]: where `^\s*[>\s]*` leaves the pattern.
func skipQuoteSpace(s string) int {
	i := 0
	for i < len(s) && (reSpace(s[i]) || s[i] == '>') {
		i++
	}
	return i
}

func digitRun(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

func dateSep(c byte) bool { return c == '.' || c == '/' || c == '-' }

// trimRightSpace drops trailing \s from s[:e].
func trimRightSpace(s string, e int) int {
	for e > 0 && reSpace(s[e-1]) {
		e--
	}
	return e
}

// matchAttr is attrRe.MatchString:
//
//	(?i)^\s*[>\s]*((on|pada|…)[^\p{L}\p{N}\n]|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}).*?(wroteWords)\s*(:|\.{3}|：)?\s*$
//
// The first group ends as early as possible at p, the word starts as late
// as possible at w, and ".*?" between them must not cross a newline.
func matchAttr(s string) bool {
	p := attrPrefixEnd(s)
	if p < 0 {
		return false
	}
	e := trimRightSpace(s, len(s))
	switch t := s[:e]; {
	case strings.HasSuffix(t, "..."):
		e -= 3
	case strings.HasSuffix(t, ":"):
		e--
	case strings.HasSuffix(t, "："):
		e -= len("：")
	}
	e = trimRightSpace(s, e)
	w := -1
	for _, v := range wroteVariants {
		if st, ok := suffixFold(s[:e], v); ok && st > w {
			w = st
		}
	}
	return w >= p && !strings.Contains(s[p:w], "\n")
}

// attrPrefixEnd returns the earliest end of `^\s*[>\s]*(on|pada|…|date)`
// in attrRe, or -1.
func attrPrefixEnd(s string) int {
	i := skipQuoteSpace(s)
	best := -1
	for _, w := range attrStartWords {
		n, ok := prefixFold(s[i:], w)
		if !ok || i+n >= len(s) {
			continue
		}
		// [^\p{L}\p{N}\n]: the word ends at a boundary
		r, size := utf8.DecodeRuneInString(s[i+n:])
		if r == '\n' || unicode.IsLetter(r) || unicode.IsNumber(r) {
			continue
		}
		if end := i + n + size; best < 0 || end < best {
			best = end
		}
	}
	// \d{1,4}[./-]\d{1,2}[./-]\d{1,4}: the shortest ends one digit into
	// the last group
	d := digitRun(s, i)
	if d < 1 || d > 4 || i+d >= len(s) || !dateSep(s[i+d]) {
		return best
	}
	j := i + d + 1
	d = digitRun(s, j)
	if d < 1 || d > 2 || j+d+1 >= len(s) || !dateSep(s[j+d]) || !isDigit(s[j+d+1]) {
		return best
	}
	if end := j + d + 2; best < 0 || end < best {
		best = end
	}
	return best
}

// matchAttrStart is attrStartRe.MatchString:
//
//	(?i)^\s*[>\s]*(on|pada|…|tanggal|\d{1,4}[./-]\d)\s
func matchAttrStart(s string) bool {
	i := skipQuoteSpace(s)
	for _, w := range attrStartReWords {
		if n, ok := prefixFold(s[i:], w); ok && i+n < len(s) && reSpace(s[i+n]) {
			return true
		}
	}
	d := digitRun(s, i)
	j := i + d
	return d >= 1 && d <= 4 && j+2 < len(s) && dateSep(s[j]) && isDigit(s[j+1]) && reSpace(s[j+2])
}

// endsWithWroteWord is a necessary condition for attrLooseRe: after the
// final [:：] and spaces, s ends with one of the wrote words.
func endsWithWroteWord(s string) bool {
	e := trimRightSpace(s, len(s))
	switch t := s[:e]; {
	case strings.HasSuffix(t, ":"):
		e--
	case strings.HasSuffix(t, "："):
		e -= len("：")
	default:
		return false
	}
	e = trimRightSpace(s, e)
	for _, v := range wroteVariants {
		if _, ok := suffixFold(s[:e], v); ok {
			return true
		}
	}
	return false
}

// expandAlternation spells out a|b|c alternatives of literals with [..]
// classes, "\(" escapes and "?" optional atoms (the syntax of wroteWords).
func expandAlternation(pat string) []string {
	var out []string
	for _, alt := range strings.Split(pat, "|") {
		out = append(out, expandSeq(alt)...)
	}
	return out
}

func expandSeq(s string) []string {
	acc := []string{""}
	for len(s) > 0 {
		var choices []string
		switch {
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			for _, r := range s[1:end] {
				choices = append(choices, string(r))
			}
			s = s[end+1:]
		case s[0] == '\\':
			choices = []string{s[1:2]}
			s = s[2:]
		default:
			_, n := utf8.DecodeRuneInString(s)
			choices = []string{s[:n]}
			s = s[n:]
		}
		if strings.HasPrefix(s, "?") {
			choices = append(choices, "")
			s = s[1:]
		}
		var next []string
		for _, a := range acc {
			for _, c := range choices {
				next = append(next, a+c)
			}
		}
		acc = next
	}
	return acc
}

// matchAttrMid is attrMidRe.MatchString, run only when its tail can match:
// an ASCII digit at most 40 characters before a final [:：].
func matchAttrMid(s string) bool {
	e := trimRightSpace(s, len(s))
	switch t := s[:e]; {
	case strings.HasSuffix(t, ":"):
		e--
	case strings.HasSuffix(t, "："):
		e -= len("：")
	default:
		return false
	}
	for n := 0; n <= 40 && e > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(s[:e])
		if r == '\n' {
			return false
		}
		e -= size
		if isDigit(s[e]) && size == 1 {
			return attrMidRe.MatchString(s)
		}
	}
	return false
}

// cjkWords are the literals of cjkAttrRe: one of them must be in a match.
var cjkWords = []string{"のメッセージ", "写道", "寫道", "님이 작성", "wrote", "書きました", "书写", "작성"}

// matchCJKAttr is cjkAttrRe.MatchString, run only on lines holding one of
// its words.
func matchCJKAttr(s string) bool {
	for _, w := range cjkWords {
		if strings.Contains(s, w) {
			return cjkAttrRe.MatchString(s)
		}
	}
	return false
}

// matchDateMail is dateMailRe.MatchString, run only on lines that start
// with a digit and hold an '@' or '<'.
func matchDateMail(s string) bool {
	i := 0
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	if i == len(s) || !isDigit(s[i]) || !strings.ContainsAny(s, "@<") {
		return false
	}
	return dateMailRe.MatchString(s)
}
