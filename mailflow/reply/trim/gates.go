package trim

import (
	"strings"
	"unicode/utf8"
)

// Cheap necessary conditions in front of the costly case-insensitive
// patterns. Each matchX(s) gives exactly xRe.MatchString(s): the gate only
// answers false where the pattern cannot match, and otherwise the pattern
// decides. gates_test.go checks every gate against samples generated from
// its pattern's own alternatives.

// ContainsFold reports whether w occurs in s under the case folding of
// regexp's (?i): a cheap test to run before a case-insensitive pattern.
func ContainsFold(s, w string) bool { return containsFold(s, w) }

// containsFold reports whether w occurs in s under (?i) folding.
func containsFold(s, w string) bool {
	if len(w) == 0 {
		return true
	}
	c0, _ := utf8.DecodeRuneInString(w)
	ascii := c0 < utf8.RuneSelf
	lo, up := byte(c0), byte(c0) // the ASCII forms of c0
	if 'a' <= lo && lo <= 'z' {
		up = lo - 'a' + 'A'
	} else if 'A' <= lo && lo <= 'Z' {
		lo = up - 'A' + 'a'
	}
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			// an ASCII byte only folds to c0 as one of its ASCII forms
			if ascii && (b == lo || b == up) || !ascii && foldEq(rune(b), c0) {
				if _, ok := prefixFold(s[i:], w); ok {
					return true
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if foldEq(r, c0) {
			if _, ok := prefixFold(s[i:], w); ok {
				return true
			}
		}
		i += n
	}
	return false
}

// hasPrefixFoldAny reports whether s, after leading \s, begins with one of
// the words under (?i) folding.
func hasPrefixFoldAny(s string, words []string) bool {
	i := 0
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	for _, w := range words {
		if _, ok := prefixFold(s[i:], w); ok {
			return true
		}
	}
	return false
}

func containsFoldAny(s string, words []string) bool {
	for _, w := range words {
		if containsFold(s, w) {
			return true
		}
	}
	return false
}

// matchCompactHdr: compactHdrRe needs two colons.
func matchCompactHdr(s string) bool {
	if i := strings.IndexByte(s, ':'); i < 0 || strings.IndexByte(s[i+1:], ':') < 0 {
		return false
	}
	return compactHdrRe.MatchString(s)
}

// disclaimerWords: every alternative of disclaimerRe holds one.
var disclaimerWords = []string{"confidential", "intended", "disclaimer", "rahasia", "informasi dalam", "dilarang menyebarkan"}

func matchDisclaimer(s string) bool {
	return containsFoldAny(s, disclaimerWords) && disclaimerRe.MatchString(s)
}

// mobileSigStarts: how the alternatives of mobileSigRe begin, after `^\s*`;
// the one that does not begin with a literal ends in " küldve".
var mobileSigStarts = []string{"sent ", "sent\t", "get outlook for", "dapatkan outlook", "dikirim", "terkirim dari",
	"diketik dari", "verstuurd ", "von meinem ", "gesendet ", "envoy", "enviado ", "inviato ", "skickat ", "sendt ",
	"wysłane z", "отправлено с", "iphone'umdan", "lähetetty", "my iphone", "verzonden ", "trimis de pe", "vom ", "أ"}

func matchMobileSig(s string) bool {
	return (hasPrefixFoldAny(s, mobileSigStarts) || containsFold(s, " küldve")) && mobileSigRe.MatchString(s)
}

// closingStarts: how the alternatives of closingRe begin, after `^\s*`.
var closingStarts = []string{"salam", "hormat ", "wassalam", "terima", "makasih", "trims", "tks", "thx", "tabik", "best", "kind regards", "warm regards",
	"regards", "many thanks", "thank", "cheers", "sincerely", "yours", "all the best", "br", "met vriendelijke groet",
	"groet", "mvg", "mit ", "freundliche", "viele ", "liebe ", "beste ", "herzliche ", "gr", "lg", "cordial",
	"bien à vous", "saludos", "atentamente", "un saludo", "distinti saluti", "saluti", "atenciosamente", "abraços",
	"med v", "vänliga hälsningar", "mvh", "venlig hilsen", "hilsen", "pozdrawiam", "z poważaniem"}

func matchClosing(s string) bool {
	return hasPrefixFoldAny(s, closingStarts) && closingRe.MatchString(s)
}

// hdrKeyVariants and hdrFromVariants are hdrKeyWords and hdrFromWords
// spelt out.
var (
	hdrKeyVariants  = expandAlternation(hdrKeyWords)
	hdrFromVariants = expandAlternation(hdrFromWords)
)

// matchHdrKey is hdrKeyRe.MatchString:
//
//	(?i)^\s*[>\s]*\*{0,2}\s*(hdrKeyWords)\s*\*{0,2}\s*[:：]
//
// No header word holds a colon, '*', '>' or a space at either end, so the
// colon is the line's first one and the word is what is left of the text
// before it once the marks around it are taken off.
func matchHdrKey(s string) bool { return matchHdrWord(s, hdrKeyVariants) }

// matchHdrFrom is hdrFromRe.MatchString, as matchHdrKey.
func matchHdrFrom(s string) bool { return matchHdrWord(s, hdrFromVariants) }

func matchHdrWord(s string, words []string) bool {
	c := strings.IndexByte(s, ':')
	if w := strings.Index(s, "："); w >= 0 && (c < 0 || w < c) {
		c = w
	}
	if c < 0 {
		return false
	}
	seg := s[:c]
	i := skipQuoteSpace(seg)
	for k := 0; k < 2 && i < len(seg) && seg[i] == '*'; k++ {
		i++
	}
	for i < len(seg) && reSpace(seg[i]) {
		i++
	}
	j := trimRightSpace(seg, len(seg))
	for k := 0; k < 2 && j > i && seg[j-1] == '*'; k++ {
		j--
	}
	j = trimRightSpace(seg, j)
	if i >= j {
		return false
	}
	core := seg[i:j]
	for _, w := range words {
		if n, ok := prefixFold(core, w); ok && n == len(core) {
			return true
		}
	}
	return false
}

// inlineAttrStarts: `^\s*(on|pada|op|le|am)\s` of inlineAttrRe and midAttrRe.
var inlineAttrStarts = []string{"on", "pada", "op", "le", "am"}

// inlineWroteWords: one of them is in every inlineAttrRe and midAttrRe match.
var inlineWroteWords = []string{"wrote", "menulis", "schreef", "schrieb", "a écrit"}

func matchInlineAttr(s string) bool {
	i := 0
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	ok := false
	for _, w := range inlineAttrStarts {
		if n, yes := prefixFold(s[i:], w); yes && i+n < len(s) && reSpace(s[i+n]) {
			ok = true
			break
		}
	}
	return ok && containsFoldAny(s, inlineWroteWords) && inlineAttrRe.MatchString(s)
}

// findMidAttr is midAttrRe.FindStringSubmatch behind its gates: one of
// its start words after a space or dash and before a space, and one of its
// wrote words.
func findMidAttr(s string) []string {
	start := false
	for i := 1; i < len(s) && !start; i++ {
		if !reSpace(s[i-1]) && s[i-1] != '-' {
			continue
		}
		for _, w := range inlineAttrStarts {
			if n, ok := prefixFold(s[i:], w); ok && i+n < len(s) && reSpace(s[i+n]) {
				start = true
				break
			}
		}
	}
	if !start || !containsFoldAny(s, inlineWroteWords) {
		return nil
	}
	return midAttrRe.FindStringSubmatch(s)
}

// fwdStarts: how the alternatives of fwdRe begin, after `^\s*[>\s]*`.
var fwdStarts = []string{"begin forwarded message", "awal pesan yang diteruskan", "pesan ", "anfang der ",
	"début du message", "forwarded message", "original message"}

func matchFwd(s string) bool {
	i := skipQuoteSpace(s)
	for _, w := range fwdStarts {
		if _, ok := prefixFold(s[i:], w); ok {
			return fwdRe.MatchString(s)
		}
	}
	return false
}

// matchSep: sepRe needs "--".
func matchSep(s string) bool {
	return strings.Contains(s, "--") && sepRe.MatchString(s)
}
