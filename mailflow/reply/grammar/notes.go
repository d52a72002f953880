package grammar

import (
	"regexp"
	"strings"
)

// labelStartRe opens a notes block at the start of a line.
var labelStartRe = regexp.MustCompile(`(?i)^[*_\-•>\s]*(dengan\s+|dgn\s+)?(catatan|note|notes|keterangan|ket|alasan|reason|nb)` +
	`(\s+(sbb|sebagai\s+berikut|berikut|tambahan|saya|kami))?\s*[:：]`)

// labelMidRe opens the notes inside a command line: "SETUJU dengan catatan
// …", "SETUJU, catatan: …".
var labelMidRe = regexp.MustCompile(`(?i)\b((dengan|dgn)\s+catatan\b|(catatan|note|notes|keterangan|alasan|reason)\s*[:：])`)

// withNotesRe opens notes without a colon after the command word.
var withNotesRe = regexp.MustCompile(`(?i)^(dengan|dgn)\s+catatan\b[\s,]*`)

func labelStart(t string) bool {
	return hasColon(t) && labelStartRe.MatchString(t)
}

// labelMid returns the offset of a notes label inside l, or -1.
func labelMid(l string) int {
	if !hasColon(l) && !strings.Contains(l, "atatan") && !strings.Contains(l, "ATATAN") {
		return -1
	}
	if m := labelMidRe.FindStringIndex(l); m != nil {
		return m[0]
	}
	return -1
}

func hasColon(s string) bool { return strings.IndexByte(s, ':') >= 0 || strings.Contains(s, "：") }

// signOffs start a sign-off line: it and what follows (a name) are not
// notes. Matched as a whole word at the start, in any case.
var signOffs = []string{"terima kasih", "terimakasih", "makasih", "trims", "trimakasih", "tks", "thx", "thanks",
	"thank you", "salam", "wassalam", "hormat saya", "hormat kami", "regards", "best regards", "kind regards",
	"best", "cheers", "sincerely"}

func isSignOff(t string) bool {
	if len(t) >= 60 {
		return false
	}
	for _, p := range signOffs {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) &&
			(len(t) == len(p) || !isWordRune(rune(t[len(p)])) || p == "wassalam") {
			return true
		}
	}
	return false
}

// notes collects what the official passes on after the command word (token
// at of sentence d): the rest of its line, the following lines of its
// paragraph, and the notes block starting at line block (-1: none). A
// rejection with no reason there takes the next paragraph as its reason.
func notes(lines []string, d sentence, at, block int, cmd Command) string {
	var parts []string
	add := func(s string) {
		if s = cleanNote(s, cmd); s != "" {
			parts = append(parts, s)
		}
	}
	rest := ""
	if at >= 0 && at < len(d.toks) {
		rest = lines[d.line][d.off+d.toks[at].end:]
	}
	rest = CleanReason(rest)
	if m := labelStartRe.FindStringIndex(rest); m != nil {
		rest = rest[m[1]:]
	} else if m := withNotesRe.FindStringIndex(rest); m != nil {
		rest = rest[m[1]:] // "SETUJU dgn catatan angka TW IV diperbaiki"
	}
	add(rest)
	last := len(lines) - 1 // the last written line may be a bare name: "SETUJU\nBudi"
	for last > d.line && strings.TrimSpace(lines[last]) == "" {
		last--
	}
	i := d.line + 1
	for ; i < len(lines) && (block < 0 || i < block); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || t[0] == '>' || isSignOff(t) || i == last && isName(t) {
			break
		}
		add(t)
	}
	if cmd == Reject && len(parts) == 0 && block < 0 {
		// "Data belum lengkap. TOLAK.": the reason came first.
		add(reasonBefore(lines, d, at))
	}
	if cmd == Reject && len(parts) == 0 && block < 0 {
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
		for ; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			if t == "" || t[0] == '>' || isSignOff(t) {
				break
			}
			add(t)
		}
	}
	if block >= 0 && block < len(lines) {
		first := strings.TrimSpace(lines[block])
		if m := labelStartRe.FindStringIndex(first); m != nil {
			first = first[m[1]:]
		}
		if block == last && isName(first) {
			first = ""
		}
		add(first)
		for j, l := range lines[block+1:] {
			t := strings.TrimSpace(l)
			if isSignOff(t) || block+1+j == last && isName(t) {
				break
			}
			add(t)
		}
	}
	return strings.Join(parts, "\n")
}

// reasonBefore returns the text of the paragraph before the reject word
// (or before the negation of "… tidak setuju").
func reasonBefore(lines []string, d sentence, at int) string {
	if at < 0 || at >= len(d.toks) {
		return ""
	}
	j := at
	for j > 0 && (isNegation(d.toks[j-1].word) || negFillers[d.toks[j-1].word]) {
		j--
	}
	start := d.line
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	var b []string
	for _, l := range append(lines[start:d.line:d.line], lines[d.line][:d.off+d.toks[j].start]) {
		var kept []string
		for off := 0; off < len(l); {
			end := off + sentenceEnd(l[off:])
			if w, _, e := nextWord(l[off:end], 0); e == 0 || !greetings[w] { // "Yth. Bapak," greets, it is no reason
				kept = append(kept, l[off:end])
			}
			off = end
		}
		if c := cleanNote(strings.Join(kept, ""), Reject); c != "" {
			b = append(b, c)
		}
	}
	return strings.Join(b, "\n")
}

// isName: a line of one to four capitalised words and nothing else, as a
// name under a text ("Budi", "Ahmad Fauzi", "Drs. Ahmad Yani").
func isName(t string) bool {
	f := strings.Fields(t)
	if len(f) == 0 || len(f) > 4 || strings.ContainsAny(t, ":;!?0123456789") {
		return false
	}
	for _, w := range f {
		c := w[0]
		if c < 'A' || c > 'Z' {
			return false
		}
		if w2 := strings.TrimRight(w, ".,"); w2 != w && !abbrevs[lower(w2)] && len(w2) > 3 {
			return false // a word ending a sentence: "Lanjutkan."
		}
	}
	return true
}

// cleanNote drops the clauses at either end of a line that only
// acknowledge ("pak", "lanjutkan", "terima kasih").
func cleanNote(s string, cmd Command) string {
	s = CleanReason(s)
	for s != "" {
		i := clauseEnd(s)
		if !ackOnly(s[:i], cmd) {
			break
		}
		s = CleanReason(s[i:])
	}
	for s != "" {
		i := lastClauseStart(s)
		if !ackOnly(s[i:], cmd) {
			break
		}
		if s[i] == '.' || s[i] == '!' {
			i++ // keep the full stop of the kept sentence
		}
		s = strings.TrimRight(s[:i], " ,;:–—-")
	}
	return strings.TrimRight(s, " \t,;:–—-")
}

const clauseSeps = ",.;!–—"

func clauseEnd(s string) int {
	if i := strings.IndexAny(s, clauseSeps); i >= 0 {
		return i
	}
	return len(s)
}

// lastClauseStart returns the start of the last clause, ignoring
// separators at the very end ("… Kepala Dinas. Terima kasih.").
func lastClauseStart(s string) int {
	t := strings.TrimRight(s, " "+clauseSeps)
	if i := strings.LastIndexAny(t, clauseSeps); i >= 0 {
		return i
	}
	return 0
}

// ackOnly: every word of the clause is an acknowledgement (or a done
// reply's "sudah kami kirim", an approval's "tidak ada catatan").
func ackOnly(c string, cmd Command) bool {
	for i := 0; ; {
		w, _, end := nextWord(c, i)
		if end == 0 {
			return true
		}
		i = end
		if !acks[w] && !(cmd == Done && (doneAcks[w] || delivery[w])) &&
			!(cmd == Approve && (approveAcks[w] || approveWords[w] || idiomNegs[w] || idiomNouns[w] || w == "ada" || w == "lagi" ||
				w == "yang" || w == "yg" || w == "perlu" || idiomFix[w])) {
			return false
		}
	}
}

// CleanReason trims the punctuation that joins a command to its reason.
func CleanReason(s string) string {
	return strings.TrimSpace(strings.TrimLeft(s, " ,.:;-–—!"))
}
