// Package trim cuts a reply down to the text its author actually wrote:
// it drops quoted history (">" lines, attribution lines, header blocks,
// "Original Message" separators) and signatures, in English, Indonesian
// and the other languages of the public reply suites. It works on plain
// text; HTML goes through HTML first.
package trim

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
)

// invisible drops the zero-width and direction marks that clients sprinkle
// over lines that look blank.
var invisible = strings.NewReplacer("\ufeff", "", "\u200b", "", "\u200c", "", "\u200e", "", "\u200f", "",
	"\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "", "\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "")

// hasInvisible reports whether s holds one of the marks invisible drops:
// U+FEFF, or U+200B–U+206F (all "\xe2\x80" or "\xe2\x81" in UTF-8). It is
// much cheaper than running the replacer over a body that has none.
func hasInvisible(s string) bool {
	if strings.Contains(s, "\ufeff") {
		return true
	}
	for i := 0; ; {
		j := strings.IndexByte(s[i:], 0xe2)
		if j < 0 {
			return false
		}
		i += j + 1
		if i < len(s) && (s[i] == 0x80 || s[i] == 0x81) {
			return true
		}
	}
}

// maxLines bounds the work on hostile input; longer bodies are cut.
const maxLines = 20000

// Text returns the new text of a plain-text reply body.
func Text(body string) string { return textFrom(body, nil) }

// TextFrom is Text for a reply from sender (the From display name or
// address): a last line that is only the sender's name is the signature
// too ("Lina" from "Lina Hartati"), which Text alone cannot tell from a
// one-line answer.
func TextFrom(body, sender string) string { return textFrom(body, senderWords(sender)) }

// SignatureTail returns what TextFrom cut from the end of the new text as
// signature (sign-off, name block, disclaimer, mobile footer), so that a
// caller can check that nothing written after a sign-off takes the reply
// back ("Salam, Budi\nNB: batal, tidak setuju").
func SignatureTail(body, sender string) string {
	_, tail := split(body, senderWords(sender))
	return join(tail)
}

func textFrom(body string, sender []string) string {
	kept, _ := split(body, sender)
	return join(kept)
}

// split returns the new text's lines and the signature lines cut from its end.
func split(body string, sender []string) (kept, tail []string) {
	lines := splitInlineAttribution(Lines(body))
	q, qn := quoteStart(lines, 0)
	out := lines
	if q >= 0 {
		top := lines[:q]
		bottom := bottomText(lines, q, qn)
		switch {
		case hasContent(top) && greetingOnly(stripSig(top, sender)) && hasContent(bottom):
			out = append(append([]string{}, lines[:q]...), bottom...)
		case hasContent(stripSig(top, sender)):
			out = top
		case hasContent(bottom):
			out = bottom
		case matchFwd(lines[q]) || (matchSep(lines[q]) || sepWrap(lines, q) > 0) && forwardWordRe.MatchString(lines[q]):
			// a forward without a comment: the forwarded text is the content
			out = forwardedBody(lines, q)
		default:
			out = lines[:q]
		}
	}
	kept = stripSig(out, sender)
	if len(kept) <= len(out) {
		tail = out[len(kept):]
	}
	return kept, tail
}

// Lines normalises line ends and non-breaking spaces and splits body.
func Lines(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = strings.ReplaceAll(body, "\u00a0", " ")
	if hasInvisible(body) {
		body = invisible.Replace(body)
	}
	lines := strings.Split(body, "\n")
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

func join(lines []string) string {
	// collapse runs of blank lines and drop leading/trailing ones
	var b strings.Builder
	prevBlank := true
	for _, l := range lines {
		if blank(l) {
			if !prevBlank {
				b.WriteString("\n")
			}
			prevBlank = true
			continue
		}
		b.WriteString(l)
		b.WriteString("\n")
		prevBlank = false
	}
	return strings.TrimSpace(b.String())
}

func hasContent(lines []string) bool {
	for _, l := range lines {
		if !blank(l) {
			return true
		}
	}
	return false
}

// quoteStart returns the index of the first line at or after from that
// starts quoted history, or -1, and quoteHeader there (0 for a ">" line).
func quoteStart(lines []string, from int) (int, int) {
	for i := from; i < len(lines); i++ {
		if isQuoted(lines[i]) {
			if !quoteFalsePositive(lines, i) {
				return i, 0
			}
			for i+1 < len(lines) && isQuoted(lines[i+1]) {
				i++
			}
			continue
		}
		if n := quoteHeader(lines, i); n > 0 {
			return i, n
		}
	}
	return -1, 0
}

// quoteFalsePositive: a ">" block followed by more new text (before any
// further quote) is the author quoting something inside the reply, or an
// interleaved answer: it is kept.
func quoteFalsePositive(lines []string, i int) bool {
	j := i
	for j < len(lines) && (isQuoted(lines[j]) || blank(lines[j])) {
		j++
	}
	k := j
	for k < len(lines) && !isQuoted(lines[k]) && quoteHeader(lines, k) == 0 {
		k++
	}
	return hasContent(stripSignature(lines[j:k]))
}

var inlineAttrRe = regexp.MustCompile(`(?i)^\s*(on|pada|op|le|am)\s.*?\b(wrote|menulis|schreef|schrieb|a écrit)\s?:(\s|$)`)

// quoteHeader reports how many lines starting at i form a quote header
// (attribution, separator or header block); 0 if none.
func quoteHeader(lines []string, i int) int {
	l := lines[i]
	if blank(l) || len(l) > 1000 {
		return 0
	}
	if matchSep(l) || matchFwd(l) {
		return 1
	}
	if n := sepWrap(lines, i); n > 0 {
		return n
	}
	if underRe.MatchString(l) {
		return 1
	}
	if ruleRe.MatchString(l) {
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			if !blank(lines[j]) {
				if headerBlock(lines, j) > 0 {
					return 1
				}
				break
			}
		}
	}
	if n := headerBlock(lines, i); n > 0 {
		return n
	}
	if n := lotusHeader(lines, i); n > 0 {
		return n
	}
	if len(l) < 400 && matchCompactHdr(l) {
		return 1
	}
	// attributions, also wrapped over up to three lines; they end with a
	// colon, or a quote follows them
	if !mayEndAttribution(lines, i) {
		return 0
	}
	joined := l
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		if n > 1 {
			nl := lines[i+n-1]
			if blank(nl) || isQuoted(nl) && !isQuoted(l) {
				break
			}
			joined += " " + strings.TrimSpace(nl)
		}
		if len(joined) > 600 {
			break
		}
		if attribution(joined, lines, i+n, n == 1) {
			if n > 1 && !wrapStart(lines, i, n) {
				return 0
			}
			return n
		}
	}
	if matchInlineAttr(l) {
		return 1
	}
	return 0
}

// attribution reports whether s is an attribution line; next is the index
// of the line after it.
//
// A wrapped attribution (single false) must itself begin like one ("On",
// "Pada", a date), so that a line of text above it is never swallowed.
func attribution(s string, lines []string, next int, single bool) bool {
	t := strings.TrimSpace(s)
	if !hasWroteWord(t) {
		// the cheap check keeps the big patterns off ordinary lines
		if !followedByQuote(lines, next) || !single && !matchDateMail(t) && !matchAttrStart(t) {
			return false
		}
		return matchDateMail(t) ||
			strings.HasSuffix(t, ":") && len(t) < 300 && (strings.Contains(t, "@") || hasDigit(t))
	}
	isAttr := matchAttr(t)
	if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
		if isAttr || matchAttrStart(t) && matchAttrMid(t) {
			return true
		}
		if single && (endsWithWroteWord(t) && attrLooseRe.MatchString(t) || matchCJKAttr(t) || matchAttrMid(t)) {
			return true
		}
		// "Op 13-02-2014 3:18 schreef Julius Caesar <pantheon@rome.com>:":
		// begins like one, the wrote word inside, the address at the end
		if single && matchAttrStart(t) && hasDigit(t) && attrAddrEndRe.MatchString(t) && attrMidAddrRe.MatchString(t) {
			return true
		}
	}
	if !single && !isAttr && !matchDateMail(t) && !matchAttrStart(t) {
		return false
	}
	// without a colon only when quoted lines follow
	if !followedByQuote(lines, next) {
		return false
	}
	if isAttr || matchDateMail(t) || matchCJKAttr(t) {
		return true
	}
	// "… <someone@example.org>:" or any short line ending in ':' with an address
	if strings.HasSuffix(t, ":") && len(t) < 300 && (strings.Contains(t, "@") || hasDigit(t)) {
		return true
	}
	return false
}

// wrapStart reports whether line i begins the n-line wrap of an
// attribution rather than being a sentence of the reply that sits right
// above a shorter one. A client wraps an attribution after its date, so
// the first line holds a digit and does not end a sentence; and when a
// later line of the run begins an attribution that stands alone, the
// attribution starts there.
func wrapStart(lines []string, i, n int) bool {
	first := strings.TrimSpace(lines[i])
	if !hasDigit(first) || strings.HasSuffix(first, ".") && !strings.HasSuffix(first, "...") ||
		strings.HasSuffix(first, "!") || strings.HasSuffix(first, "?") {
		return false
	}
	// A first line that itself begins like an attribution ("Pada tanggal
	// Sen, 10 Mar 2025 pukul 09.56 …": the start word, a whole date and a
	// time of day)
	// and was long enough for the client to wrap it heads the
	// attribution, even when the rest could stand alone ("Tengah <a@b.id>
	// menulis:"): a sentence of the reply is rarely all that.
	if matchAttrStart(first) && utf8.RuneCountInString(first) >= wrapWidth && datedHead(first) && decidesNothing(first) {
		joined := first
		for _, m := range lines[i+1 : i+n] {
			joined += " " + strings.TrimSpace(m)
		}
		later := false // a later line begins an attribution of its own
		for _, m := range lines[i+1 : i+n] {
			later = later || matchAttrStart(m) || attrPrefixEnd(m) >= 0 || matchDateMail(m)
		}
		if !later && matchAttr(joined) {
			return true
		}
	}
	for k := 1; k < n; k++ {
		l := lines[i+k]
		// a later line that begins an attribution, or names the sender
		// and says "wrote" ("Budi <b@x.id> menulis:"), starts it there:
		// losing the official's sentence is worse than keeping the head
		// of a rare hard-wrapped attribution
		if !matchAttrStart(l) && attrPrefixEnd(l) < 0 && !matchDateMail(l) && !(startsUpper(l) && hasWroteWord(l)) {
			continue
		}
		joined := strings.TrimSpace(l)
		for _, m := range lines[i+k+1 : i+n] {
			joined += " " + strings.TrimSpace(m)
		}
		if attribution(joined, lines, i+n, k == n-1) {
			return false
		}
	}
	return true
}

// decidesNothing: the grammar reads no command in l, and l after an
// approval leaves it an approval (no negation, hedge, question or
// contrast). Only such a line may be taken for an attribution's head and
// dropped: dropping it can then never turn a reply into an approval.
func decidesNothing(l string) bool {
	if c, _ := grammar.Parse(l); c != grammar.None {
		return false
	}
	c, _ := grammar.Parse("SETUJU\n" + l)
	return c == grammar.Approve
}

// datedHead reports whether s is laid out as the head of a client's
// attribution: its first words, then within four words a whole date
// ("10 Mar 2025", "Mar 10, 2025", "10/03/2025"), then within two words a
// time of day ("pukul 09.56", "at 9:56"), then more words (the name).
func datedHead(s string) bool {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	year := func(w string) bool { return len(w) == 4 && digitRun(w, 0) == 4 }
	day := func(w string) bool { return w != "" && len(w) <= 2 && digitRun(w, 0) == len(w) }
	for j := 1; j <= 4 && j < len(f); j++ {
		end := -1 // the index after the date
		switch {
		case j+2 < len(f) && year(f[j+2]) && (day(f[j]) && monthWord(f[j+1]) || monthWord(f[j]) && day(f[j+1])):
			end = j + 3
		case wholeNumericDate(f[j]):
			end = j + 1
		}
		if end < 0 {
			continue
		}
		for k := end; k <= end+1 && k < len(f)-1; k++ {
			if clock(f[k]) {
				return true
			}
		}
		return false
	}
	return false
}

// wholeNumericDate: "10/03/2025", "10.03.25", "2025-03-10".
func wholeNumericDate(w string) bool {
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || len(w) > 10 {
		return false
	}
	for _, p := range parts {
		if p == "" || digitRun(p, 0) != len(p) || len(p) > 4 {
			return false
		}
	}
	return len(parts[0]) == 4 || len(parts[2]) >= 2
}

// clock: "09.56", "9:56", "9:56AM".
func clock(w string) bool {
	h := digitRun(w, 0)
	if h < 1 || h > 2 || h+3 > len(w) || w[h] != ':' && w[h] != '.' {
		return false
	}
	m := digitRun(w, h+1)
	return m == 2 && (h+3 == len(w) || !isDigit(w[h+3]))
}

// monthWord reports whether w names a month in Indonesian or English,
// in full or in three letters ("Mar", "Agu", "Agustus", "Des.").
func monthWord(w string) bool {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if len(w) < 3 {
		return false
	}
	for _, m := range []string{"jan", "feb", "mar", "apr", "mei", "may", "jun", "jul", "agu", "ags", "aug", "sep", "okt", "oct", "nov", "des", "dec"} {
		if strings.HasPrefix(w, m) {
			return true
		}
	}
	return false
}

// wrapWidth is the least length of a line a client wrapped: they wrap at
// 72–78 columns, at a word boundary, so the first line keeps most of it.
const wrapWidth = 60

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return unicode.IsUpper(r)
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

func followedByQuote(lines []string, i int) bool {
	for ; i < len(lines); i++ {
		if blank(lines[i]) {
			continue
		}
		return isQuoted(lines[i])
	}
	return false
}

// headerBlock recognises "From:/Sent:/To:/Subject:" blocks (and their
// translations); it returns the number of header lines or 0.
func headerBlock(lines []string, i int) int {
	first := lines[i]
	if !matchHdrKey(first) {
		return 0
	}
	isFrom := matchHdrFrom(first)
	keys, from := 1, isFrom
	end := i + 1
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		if blank(lines[j]) {
			if keys >= 2 {
				break
			}
			continue
		}
		if matchHdrKey(lines[j]) {
			keys++
			from = from || matchHdrFrom(lines[j])
			end = j + 1
		}
	}
	if from && (keys >= 2 && isFrom || keys >= 3) {
		return end - i
	}
	return 0
}

// bottomText collects the unquoted text below and between quoted blocks,
// for bottom-posted and interleaved replies; qn is quoteHeader(lines, q)
// when line q is not quoted.
func bottomText(lines []string, q, qn int) []string {
	var out []string
	i := q
	content := false
	for i < len(lines) {
		if !content && isQuoted(lines[i]) {
			i++
			continue
		}
		var n int
		if i == q {
			n = qn
		} else {
			n = quoteHeader(lines, i)
		}
		switch {
		case n > 0:
			if !quoteBelow(lines, i+n) && !attributionAt(lines, i, n) {
				// header blocks and separators have no quote marks: the
				// rest is history
				return out
			}
			i += n
		default:
			content = content || !blank(lines[i])
			out = append(out, lines[i])
			i++
		}
	}
	return out
}

// quoteBelow: the header at i is followed (after blanks) by ">" lines.
func quoteBelow(lines []string, i int) bool {
	return followedByQuote(lines, i)
}

// attributionAt: the n-line quote header at i is an attribution line (not
// a header block or separator).
func attributionAt(lines []string, i, n int) bool {
	l := lines[i]
	return !matchSep(l) && !matchFwd(l) && !underRe.MatchString(l) && headerBlock(lines, i) == 0 &&
		sepWrap(lines, i) == 0 && lotusHeader(lines, i) == 0
}

var midAttrRe = regexp.MustCompile(`(?i)^(.*?[^\s-])[\s-]+((on|pada|am|op|le)\s.*?\b(wrote|menulis|schrieb|schreef|a écrit)\s?:)\s*$`)

// splitInlineAttribution puts an attribution that a client glued to the
// end of the reply's last line ("reply On … wrote:") on its own line.
func splitInlineAttribution(lines []string) []string {
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if len(l) > 600 || isQuoted(l) {
			continue
		}
		if !strings.HasSuffix(l, ":") || !strings.Contains(l, "@") && !hasDigit(l) {
			continue
		}
		m := findMidAttr(l)
		if m == nil || quoteHeader(lines, i) > 0 {
			continue
		}
		out := make([]string, 0, len(lines)+1)
		out = append(out, lines[:i]...)
		out = append(out, m[1], m[2])
		return append(out, lines[i+1:]...)
	}
	return lines
}

var (
	ruleRe        = regexp.MustCompile(`^\s*(-{5,}|={5,})\s*$`)
	forwardWordRe = regexp.MustCompile(`(?i)forward|diteruskan|terusan|weitergeleitet|transf[ée]r|reenviado|inoltrato|doorgestuurd`)
	greetingRe    = regexp.MustCompile(`(?i)^\s*(hi|hello|hey|dear|halo|hai|yth\.?|selamat \w+)\b.{0,40}$`)
)

// greetingOnly: the text above the quote is only a greeting ("Hi,"), so
// the answer is below or between the quotes.
func greetingOnly(lines []string) bool {
	n := 0
	for _, l := range lines {
		if blank(l) {
			continue
		}
		n++
		if n > 1 || !greetingRe.MatchString(l) {
			return false
		}
	}
	return n == 1
}

// forwardedBody returns the text below a forward separator and its header
// block.
func forwardedBody(lines []string, q int) []string {
	i := q + 1
	if sepWrap(lines, q) > 0 {
		i++
	}
	for i < len(lines) && blank(lines[i]) {
		i++
	}
	if i < len(lines) {
		n := headerBlock(lines, i)
		if n == 0 {
			n = lotusHeader(lines, i)
		}
		if n > 0 {
			i += n
			// a wrapped header value (a long Subject) continues until the
			// first blank line
			for i < len(lines) && !blank(lines[i]) {
				i++
			}
		}
	}
	return lines[i:]
}

// mayEndAttribution is a cheap filter before the attribution patterns: an
// attribution of up to three lines starting at i has a line ending in a
// colon (or "..."), or is followed by quoted lines.
func mayEndAttribution(lines []string, i int) bool {
	for n := 0; n < 3 && i+n < len(lines); n++ {
		l := strings.TrimSpace(lines[i+n])
		if l == "" {
			break
		}
		if strings.HasSuffix(l, ":") || strings.HasSuffix(l, "：") || strings.HasSuffix(l, "...") {
			return true
		}
		if i+n+1 < len(lines) && followedByQuote(lines, i+n+1) {
			return true
		}
	}
	return matchInlineAttr(lines[i])
}

// wroteStems are lower-case pieces of every word in wroteWords and
// cjkAttrRe; a line without one cannot match those patterns.
var wroteStems = []string{"wrote", "writes", "menulis", "tulis", "schreef", "schrieb", "crit", "escribi", "escreveu",
	"scrisse", "scritto", "napisa", "napsal", "skrev", "skrivit", "kirjoitti", "rta", "написал", "yazd", "pisze",
	"kirjutas", "ra", "rakst", "έγραψε", "scris", "geschreven", "sent", "كتب", "skrifa", "のメッセージ", "写道", "寫道",
	"작성", "書きました", "书写"}

func hasWroteWord(s string) bool {
	l := strings.ToLower(s)
	for _, w := range wroteStems {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
