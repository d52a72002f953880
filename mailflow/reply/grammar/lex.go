package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// negationList is every token that negates the word after it, as officials
// type it: the standard forms, the abbreviated and informal ones, English.
var negationList = []string{
	"tidak", "tdk", "tak", "gak", "ga", "gk", "g", "nggak", "ngga", "ngak", "nggk", "enggak", "engga", "kagak",
	"ndak", "nda", "ndk", "blm", "belum", "belom", "blom", "bkn", "bukan", "jgn", "jangan", "tida", "tdak",
	"not", "no", "dont", "doesnt", "didnt", "cannot", "cant", "never", "wont", "isnt", "arent", "shouldnt",
	"couldnt", "wouldnt", "nor", "unable",
	// "kurang setuju" is a soft no; Bangka Malay "dak", Javanese "ora",
	// "mboten"; "ogah", "enggan" refuse.
	"kurang", "dak", "tiada", "ora", "mboten", "ogah", "enggan",
	"ngk", "gx", "gag", "kaga", "kgk", "blum", "jngn", "nope", "neither", "takkan",
}

var negations = def(cNegations, negationList...)

// NegationTokens returns the negation tokens the grammar knows (for tests
// and fuzzers of other packages).
func NegationTokens() []string { return append([]string(nil), negationList...) }

func isNegation(w string) bool { return negations[w] }

type token struct {
	word  string // lower case, apostrophes removed
	c     cls    // the word's classes
	start int    // byte offset of the word in its string
	end   int    // byte offset after the word
}

var apostrophes = strings.NewReplacer("'", "", "’", "")

// hasQuestion: a question mark, ASCII or full-width.
func hasQuestion(s string) bool { return strings.IndexByte(s, '?') >= 0 || strings.Contains(s, "？") }

// maxTokens bounds the words read from one sentence.
const maxTokens = 96

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
}

// tokens splits l into words. Apostrophes join ("don't" → "dont").
func tokens(l string) []token {
	out := make([]token, 0, min(len(l)/5+1, maxTokens))
	for i := 0; len(out) < maxTokens; {
		w, start, end := nextWord(l, i)
		if end == 0 {
			break
		}
		if w == "di" {
			// "di-ACC", "di acc", "di paraf": the passive written apart is
			// the passive ("diacc"), so that who approved may follow it
			if w2, start2, end2 := nextWord(l, end); end2 > 0 && lexicon["di"+w2]&cPassives != 0 && sepOrHyphen(l[end:start2]) {
				w, end = "di"+w2, end2
			}
		}
		if w == "tanda" || w == "ditanda" || w == "menanda" {
			// "tanda tangani", "di tanda tangani": the compound written in
			// two words, as officials often do, is the one-word verb
			if w2, start2, end2 := nextWord(l, end); end2 > 0 && strings.HasPrefix(w2, "tangan") && onlySpace(l[end:start2]) {
				w, end = w+w2, end2
			}
		}
		out = append(out, token{word: w, c: lexicon[w], start: start, end: end})
		i = end
	}
	return out
}

func onlySpace(s string) bool { return strings.TrimSpace(s) == "" }

func sepOrHyphen(s string) bool { return strings.Trim(s, " \t-") == "" && s != "" }

// nextWord returns the first word of l at or after byte i, normalised
// (lower case, apostrophes removed, stretching undone); end == 0: none.
func nextWord(l string, i int) (w string, start, end int) {
	start = -1
	for j, r := range l[i:] {
		isWord := isWordRune(r)
		if isWord && start < 0 {
			start = i + j
		}
		if !isWord && start >= 0 {
			end = i + j
			break
		}
	}
	if start < 0 {
		return "", 0, 0
	}
	if end == 0 {
		end = len(l)
	}
	w = l[start:end]
	if strings.IndexByte(w, '\'') >= 0 || strings.Contains(w, "’") {
		w = apostrophes.Replace(w)
		if w == "" {
			return nextWord(l, end)
		}
	}
	return unstretch(lower(w)), start, end
}

// unstretch undoes typed emphasis: "setujuuu" → "setuju", "okeee" →
// "oke", "tidaaak" → "tidak". Runs of three or more letters collapse to
// one, or to two when only that gives a known word ("accc" → "acc").
//
// A doubled letter is a slip of the thumb as often as emphasis
// ("setujuu", "tolakk"): an unknown word that collapses to a known one is
// read as that word; a known word ("acc") stays as it is.
func unstretch(w string) string {
	if len(w) < 4 {
		return w
	}
	if !hasRun3(w) {
		if one := collapse(w, 1); one != w && !known(w) && known(one) {
			return one
		}
		return w
	}
	one, two := collapse(w, 1), collapse(w, 2)
	if !known(one) && known(two) {
		return two
	}
	return one
}

func hasRun3(w string) bool {
	for i := 2; i < len(w); i++ {
		if w[i] == w[i-1] && w[i] == w[i-2] && w[i] < utf8.RuneSelf {
			return true
		}
	}
	return false
}

func collapse(w string, keep int) string {
	b := make([]byte, 0, len(w))
	run := 0
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			run++
		} else {
			run = 1
		}
		if run <= keep || w[i] >= utf8.RuneSelf {
			b = append(b, w[i])
		}
	}
	return string(b)
}

func known(w string) bool {
	return approveWords[w] || rejectStrong[w] || rejectWeak[w] || doneStrong[w] || negations[w] || hedges[w] || acks[w]
}

// lower is strings.ToLower without an allocation for words already lower.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// abbrevs are words that end with a period without ending a sentence.
var abbrevs = map[string]bool{
	"yth": true, "drs": true, "dra": true, "dr": true, "ir": true, "h": true, "hj": true, "st": true,
	"bpk": true, "bp": true, "sdr": true, "sdri": true, "no": true, "kab": true, "kec": true, "ds": true,
	"jl": true, "prof": true, "mr": true, "mrs": true, "ms": true, "se": true, "sh": true, "si": true,
	"sos": true, "ap": true, "kom": true, "pd": true, "kes": true, "m": true, "s": true, "a": true,
	"ak": true, "mm": true, "msi": true, "dll": true, "dsb": true, "tgl": true, "hal": true, "ybs": true,
}

// sentences splits text into at most max sentences: at line ends, and at
// ".", "!", "?" that end a word which is not an abbreviation. A sentence
// keeps its final punctuation ("?" matters).
func sentences(text string, max int) []string {
	var out []string
	for len(text) > 0 && len(out) < max {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		for len(line) > 0 && len(out) < max {
			cut := sentenceEnd(line)
			if s := strings.TrimSpace(line[:cut]); s != "" {
				out = append(out, s)
			}
			line = line[cut:]
		}
	}
	return out
}

// sentenceEnd returns the byte offset just after the first sentence of a
// one-line string.
func sentenceEnd(l string) int {
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(l) && (l[j] == '.' || l[j] == '!' || l[j] == '?') {
			j++
		}
		if j < len(l) && l[j] != ' ' && l[j] != '\t' && l[j] != ')' && l[j] != '"' {
			i = j - 1
			continue // "3.5", "M.Si", "a.n."
		}
		if c == '.' && j == i+1 {
			k := i
			for k > 0 && isASCIILetter(l[k-1]) {
				k--
			}
			if abbrevs[lower(l[k:i])] {
				continue
			}
		}
		return j
	}
	return len(l)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
