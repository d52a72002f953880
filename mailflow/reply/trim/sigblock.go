package trim

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Signatures without a "-- " delimiter, recognised by the shape of their
// lines: a name, jabatan and unit lines in title case, an NIP, phone
// numbers, addresses and links, and legal footers.

// maxSigBlockLines bounds a name block (name, jabatan, unit, NIP, phones).
const maxSigBlockLines = 10

// sigKind classifies one line of a possible signature.
type sigKind int

const (
	sigNone   sigKind = iota
	sigName           // "Ahmad Fauzi", "Dr. Hendra Gunawan, S.E., M.Si."
	sigTitle          // "Kepala Subbagian Perencanaan dan Keuangan"
	sigStrong         // NIP, phone, e-mail address, link, "Telp.: …"
)

// sigLineKind tells what kind of signature line t (trimmed) can be.
func sigLineKind(t string) sigKind {
	if t == "" || len(t) > 120 {
		return sigNone
	}
	if isNIPLine(t) || isPhoneLine(t) || isAddrLine(t) || sigLineRe.MatchString(t) || pipeSigRe.MatchString(t) {
		return sigStrong
	}
	if isNameLine(t) {
		return sigName
	}
	if isTitleLine(t) {
		return sigTitle
	}
	return sigNone
}

// isNIPLine: an Indonesian civil servant's NIP, 18 digits, often spaced
// "19780512 200501 1 003", with or without its label.
func isNIPLine(t string) bool {
	if n, ok := prefixFold(t, "nip"); ok {
		t = strings.TrimLeft(t[n:], " .:")
	}
	digits := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			digits++
		case c == ' ':
		default:
			return false
		}
	}
	return digits == 18
}

// isPhoneLine: a phone number alone, optionally after a short label
// ("HP", "WA", "Telp", "T", "M"): a leading +, 0 or "(0", nine or more
// digits and only digit separators.
func isPhoneLine(t string) bool {
	if i := strings.IndexAny(t, "+(0123456789"); i > 0 && i <= 12 {
		label := strings.TrimRight(t[:i], " .:/")
		for _, r := range label {
			if !unicode.IsLetter(r) && r != ' ' && r != '.' && r != '/' {
				return false
			}
		}
		t = t[i:]
	} else if i != 0 {
		return false
	}
	if !(t[0] == '+' || t[0] == '0' || strings.HasPrefix(t, "(0") || strings.HasPrefix(t, "(+")) {
		return false
	}
	digits := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			digits++
		case strings.IndexByte(" +()-./", c) >= 0:
		default:
			return false
		}
	}
	return digits >= 9 && digits <= 28
}

// isAddrLine: an e-mail address or a link alone (a website line).
func isAddrLine(t string) bool {
	if strings.ContainsAny(t, " \t") {
		return false
	}
	if strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "www.") {
		return true
	}
	at := strings.IndexByte(t, '@')
	return at > 0 && strings.IndexByte(t[at:], '.') > 0
}

// honorifics and academic degrees that stand around a name.
func isNameAffix(w string) bool {
	w = strings.TrimRight(w, ",")
	if !strings.Contains(w, ".") {
		return false
	}
	// "Dr.", "H.", "Ir.", "S.Sos.", "M.Si", "S.E.", "A.Md."
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '.':
		default:
			return false
		}
	}
	return letters >= 1 && letters <= 5
}

// isNameLine: one to five words of a personal name, each capitalised
// ("Ahmad Fauzi") or all capitals, with honorifics and degrees; no digits,
// no sentence punctuation.
func isNameLine(t string) bool {
	if utf8.RuneCountInString(t) > 60 || strings.ContainsAny(t, ":;!?\"()<>@/0123456789") {
		return false
	}
	words := strings.Fields(t)
	names, caps, affixes := 0, 0, 0
	for _, w := range words {
		if isNameAffix(w) {
			affixes++
			continue
		}
		w = strings.TrimRight(w, ",")
		if !isCapWord(w) {
			return false
		}
		names++
		if w == strings.ToUpper(w) {
			caps++
		}
	}
	// one word in capitals is a command ("SETUJU"), not a name
	return names >= 1 && names <= 5 && !strings.HasSuffix(t, ",") && !(names == 1 && caps == 1 && affixes == 0)
}

// isCapWord: a word of letters (and ' -) that starts with a capital and
// is either capitalised or all capitals.
func isCapWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	lower, upper := 0, 0
	for _, r := range w {
		switch {
		case unicode.IsLower(r):
			lower++
		case unicode.IsUpper(r):
			upper++
		case r == '\'' || r == '-':
		default:
			return false
		}
	}
	return lower == 0 || upper <= 2
}

// isTitleLine: a jabatan, unit or address line: mostly capitalised words
// ("Kepala Dinas Sosial, Pemberdayaan Masyarakat dan Desa", "Jl. Raya
// Koba No. 12, Bangka Tengah"), not a sentence.
func isTitleLine(t string) bool {
	if utf8.RuneCountInString(t) > 80 || strings.ContainsAny(t, "!?;") || strings.HasSuffix(t, ":") {
		return false
	}
	if strings.HasSuffix(t, ".") && !isNameAffix(lastWord(t)) {
		return false
	}
	words := strings.Fields(t)
	if len(words) > 10 {
		return false
	}
	caps, small := 0, 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r) || r == '(':
			caps++
		case unicode.IsLower(r) && len(w) <= 4: // dan, of, and, the, no.
			small++
		default:
			return false
		}
	}
	return caps >= 1 && small <= caps/2+1
}

func lastWord(t string) string {
	f := strings.Fields(t)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// confWords and addresseeWords: a legal footer names the message as
// confidential and the person it is meant for.
var (
	confWords      = []string{"confidential", "privileged", "rahasia", "vertraulich", "confidentiel", "confidencial"}
	addresseeWords = []string{"recipient", "addressee", "intended", "penerima", "ditujukan", "empfänger", "destinataire", "destinatario"}
)

// minDisclaimer: a legal footer is long; a short note about a secret
// document is the official's text.
const minDisclaimer = 100

// disclaimerPara reports whether the paragraph lines[i:j] is a legal
// footer: one of its lines starts one, or it speaks of confidentiality and
// of the intended recipient together.
func disclaimerPara(lines []string, i, j int) bool {
	conf, addr, n := false, false, 0
	for _, l := range lines[i:j] {
		if matchDisclaimer(l) {
			return true
		}
		conf = conf || containsFoldAny(l, confWords)
		addr = addr || containsFoldAny(l, addresseeWords)
		n += len(l)
	}
	return conf && addr && n >= minDisclaimer
}

// paraEnd returns the end (exclusive) of the paragraph starting at i.
func paraEnd(lines []string, i int) int {
	for i < len(lines) && !blank(lines[i]) {
		i++
	}
	return i
}

// footerRest reports whether everything from line i on is signature
// matter: blank lines, name blocks, legal footers and mobile footers.
func footerRest(lines []string, i int, sender []string) bool {
	for i < len(lines) {
		if blank(lines[i]) {
			i++
			continue
		}
		j := paraEnd(lines, i)
		switch {
		case disclaimerPara(lines, i, j):
			return true // all below a legal footer is footer
		case matchMobileSig(strings.TrimSpace(lines[i])) || dashSigRe.MatchString(strings.TrimSpace(lines[i])):
			return true
		case nameBlock(lines, i, j, sender):
		default:
			return false
		}
		i = j
	}
	return true
}

// nameBlock reports whether lines[i:j] is a signature block: a name line
// first (or an NIP or a labelled contact line), then jabatan, unit and
// contact lines. A block of names and titles needs two lines; a lone name
// counts only when it is the sender's.
func nameBlock(lines []string, i, j int, sender []string) bool {
	if j-i > maxSigBlockLines {
		return false
	}
	strong, n := false, 0
	for k := i; k < j; k++ {
		t := strings.TrimSpace(lines[k])
		kind := sigLineKind(t)
		switch {
		case kind == sigNone:
			return false
		case k == i && kind == sigTitle:
			return false // a block starts with the name
		case k == i && kind == sigStrong && !isNIPLine(t) && !sigLineRe.MatchString(t):
			return false // a link, an address or a number alone may be the answer
		}
		strong = strong || kind == sigStrong
		n++
	}
	return strong || n >= 2 || senderName(strings.TrimSpace(lines[i]), sender)
}

// senderWords returns the lower-case words of a sender's display name or
// address ("Lina Hartati", "rina.marlina@…").
func senderWords(from string) []string {
	if at := strings.IndexByte(from, '@'); at >= 0 && !strings.ContainsAny(from, " <") {
		from = from[:at]
	}
	return strings.FieldsFunc(strings.ToLower(from), func(r rune) bool { return !unicode.IsLetter(r) })
}

// senderName: every word of the name line t (honorifics and degrees
// aside) is a word of the sender's name.
func senderName(t string, sender []string) bool {
	if len(sender) == 0 {
		return false
	}
	n := 0
	for _, w := range strings.Fields(t) {
		if isNameAffix(w) {
			continue
		}
		w = strings.ToLower(strings.TrimRight(w, ","))
		found := false
		for _, s := range sender {
			found = found || s == w
		}
		if !found {
			return false
		}
		n++
	}
	return n > 0
}

// sigScanLines: signature blocks are looked for among the last lines of
// the text only, which keeps the scan linear on long bodies.
const sigScanLines = 40

// sigBlockStart returns where a trailing signature block begins in lines
// (below the first line of content, first, which is never cut), or -1: a
// name block, alone or glued under the last paragraph, or a legal footer,
// followed only by footers.
func sigBlockStart(lines []string, first int, sender []string) int {
	from, seen := len(lines), 0
	for from > first+1 && seen < sigScanLines {
		from--
		if !blank(lines[from]) {
			seen++
		}
	}
	for i := from; i < len(lines); i++ {
		if blank(lines[i]) {
			continue
		}
		j := paraEnd(lines, i)
		if !blank(lines[i-1]) {
			// a block glued under text needs a contact line or an NIP
			if strongBlock(lines, i, j) && footerRest(lines, j, sender) {
				return i
			}
			continue
		}
		if disclaimerPara(lines, i, j) {
			return i
		}
		if footerRest(lines, j, sender) && nameBlock(lines, i, j, sender) {
			return i
		}
	}
	return -1
}

// strongBlock: lines[i:j] is a name block with a contact line or an NIP.
func strongBlock(lines []string, i, j int) bool {
	if sigLineKind(strings.TrimSpace(lines[i])) != sigName || j-i > maxSigBlockLines {
		return false
	}
	strong := false
	for k := i; k < j; k++ {
		kind := sigLineKind(strings.TrimSpace(lines[k]))
		if kind == sigNone {
			return false
		}
		strong = strong || kind == sigStrong
	}
	return strong
}
