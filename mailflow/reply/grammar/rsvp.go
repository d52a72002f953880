package grammar

import (
	"bytes"
	"strings"
)

// RSVP partstats (RFC 5545 PARTSTAT values) of a plain-text answer to a
// meeting invitation.
const (
	Accepted  = "ACCEPTED"
	Declined  = "DECLINED"
	Tentative = "TENTATIVE"
	Delegated = "DELEGATED"
)

// rsvpWindow is how many words may precede the attendance word in its
// sentence ("Mohon maaf, saya tidak dapat hadir"): further in, "hadir" is
// part of a report ("… peserta yang hadir 20 orang"), not an answer.
const rsvpWindow = 10

// attendWords answer "will you come?"; declineWords decline by themselves.
var (
	attendWords  = map[string]bool{"hadir": true, "hadiri": true, "menghadiri": true, "datang": true, "attend": true, "attending": true, "come": true, "join": true}
	acceptWords  = map[string]bool{"accept": true, "accepted": true, "accepting": true}
	declineWords = map[string]bool{"berhalangan": true, "halangan": true, "decline": true, "declined": true,
		"declining": true, "absen": true}
	tentativeWords = map[string]bool{"tentative": true, "tentatif": true, "maybe": true, "diusahakan": true,
		"usahakan": true, "mengusahakan": true, "mungkin": true, "semoga": true, "perhaps": true, "probably": true}
	delegateWords = map[string]bool{"diwakilkan": true, "diwakili": true, "mewakilkan": true, "digantikan": true,
		"delegate": true, "delegated": true, "represented": true, "diwakilkn": true, "diwakilin": true}
	// sendWords put the delegate after them: "saya utus Kasi Pemberdayaan
	// untuk hadir".
	sendWords = map[string]bool{"utus": true, "mengutus": true, "diutus": true, "tugaskan": true, "menugaskan": true,
		"delegasikan": true, "mendelegasikan": true}
	// represents puts the delegate before it: "Bu Sari yang datang
	// mewakili", "Kasi Pemberdayaan mewakili saya".
	represents = map[string]bool{"mewakili": true, "wakili": true, "representing": true}
	// beforeVerb are the words between a delegate's name and "mewakili".
	beforeVerb = map[string]bool{"yang": true, "yg": true, "hadir": true, "datang": true, "akan": true, "nanti": true,
		"ntar": true, "will": true, "who": true, "attend": true, "attends": true, "insya": true, "allah": true}
	obstacles    = map[string]bool{"halangan": true, "kendala": true, "masalah": true, "hambatan": true}
	addressForms = map[string]bool{"sdr": true, "sdri": true, "saudara": true, "saudari": true, "bapak": true,
		"bpk": true, "bp": true, "pak": true, "ibu": true, "bu": true, "mr": true, "mrs": true, "ms": true}
	// nameStop ends a delegate's name: the reason or a new clause starts.
	nameStop = map[string]bool{"karena": true, "krn": true, "dikarenakan": true, "sebab": true, "because": true,
		"as": true, "since": true, "dan": true, "and": true, "yang": true, "untuk": true, "terima": true, "thanks": true}
)

// RSVP reads a plain-text answer to a meeting invitation: "Hadir",
// "Insya Allah hadir", "Tidak dapat hadir", "Berhalangan", "Diwakilkan oleh
// <nama>", "Belum pasti", "I will attend", "Decline". partstat is "" when the
// text does not answer; delegate is the delegate's name for DELEGATED.
// A negation before the attendance word never reads as ACCEPTED.
func RSVP(text string) (partstat, delegate string) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	if !mayAnswer(text) {
		return "", ""
	}
	return rsvpFull(text)
}

// rsvpFull is RSVP without the cheap pre-check.
func rsvpFull(text string) (partstat, delegate string) {
	ss := sentences(text, 12)
	// a delegation anywhere wins over a decline: "Mohon maaf tidak bisa
	// hadir. Akan diwakili Bapak Sekretaris."
	for _, s := range ss {
		if ok, name := delegation(s); ok {
			return Delegated, name
		}
	}
	prevNeg := false
	for _, s := range ss {
		toks := tokens(s)
		ps := sentenceRSVP(s, toks)
		if ps == Accepted && prevNeg {
			return "", "" // "Tidak. Hadir.": neither
		}
		if ps != "" {
			return ps, ""
		}
		prevNeg = false
		for j := max(len(toks)-2, 0); j < len(toks); j++ {
			prevNeg = prevNeg || freeNegation(toks, j)
		}
	}
	return "", ""
}

// freeNegation: toks[j] negates, and not inside an idiom ("tidak masalah",
// "belum sempat").
func freeNegation(toks []token, j int) bool {
	if !isNegation(toks[j].word) {
		return false
	}
	if j+1 < len(toks) {
		next := toks[j+1].word
		if next == "ada" && j+2 < len(toks) && obstacles[toks[j+2].word] {
			return false // "jika tidak ada halangan"
		}
		return next != "masalah" && next != "keberatan" && !neutralAfterNeg[next]
	}
	return true
}

// noObstacle: "tidak ada halangan", "tanpa halangan" before i.
func noObstacle(toks []token, i int) bool {
	return i > 0 && toks[i-1].word == "tanpa" || i > 1 && toks[i-1].word == "ada" && isNegation(toks[i-2].word)
}

// rsvpStems: every answer holds one of these, in a text lowered with
// letter runs collapsed ("attend" → "atend", "hadiiir" → "hadir").
var rsvpStems = [][]byte{[]byte("hadir"), []byte("datang"), []byte("atend"), []byte("come"), []byte("join"),
	[]byte("acept"), []byte("declin"), []byte("halangan"), []byte("absen"), []byte("tentati"), []byte("maybe"),
	[]byte("make"), []byte("pasti"), []byte("tahu"), []byte("wakil"), []byte("ganti"), []byte("delegat"),
	[]byte("represent"), []byte("utus"), []byte("tugas"), []byte("undangan"), []byte("invit"), []byte("meting"), []byte("rapat"), []byte("acara")}

// mayAnswer is a cheap necessary condition for an answer: most replies are
// not answers to an invitation and need no further reading.
func mayAnswer(text string) bool {
	var buf [2048]byte
	if len(text) > len(buf) {
		return true
	}
	n := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\'' || strings.HasPrefix(text[i:], "’") {
			// tokens() joins words over apostrophes ("diw'akilkan")
			if c != '\'' {
				i += len("’") - 1
			}
			continue
		}
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '\n' || c == '\t' || c == '\r':
			c = ' '
		}
		if n > 0 && buf[n-1] == c && c < 0x80 {
			continue
		}
		buf[n] = c
		n++
	}
	for _, st := range rsvpStems {
		if bytes.Contains(buf[:n], st) {
			return true
		}
	}
	return false
}

// delegation reads "diwakilkan oleh <nama>", "akan diwakili <nama>",
// "delegated to <name>"; the name may be missing ("Tidak hadir,
// diwakilkan.").
func delegation(s string) (bool, string) {
	if hasQuestion(s) {
		return false, ""
	}
	toks := tokens(s)
	for i, t := range toks {
		if !delegateWords[t.word] || negatedBefore(s, toks, i) {
			continue
		}
		j := i + 1
		for j < len(toks) && (toks[j].word == "oleh" || toks[j].word == "kepada" || toks[j].word == "ke" ||
			toks[j].word == "to" || toks[j].word == "by" || toks[j].word == "pada") {
			j++
		}
		return true, delegateName(s, toks, j)
	}
	for i, t := range toks {
		if negatedBefore(s, toks, i) {
			continue
		}
		if sendWords[t.word] {
			if name := delegateName(s, toks, i+1); name != "" && !writerIsName(name) {
				return true, name
			}
		}
		if represents[t.word] {
			if name := nameBefore(s, toks, i); name != "" && !writerIsName(name) {
				return true, name
			}
		}
	}
	return false, ""
}

// nameBefore reads the delegate's name that ends before toks[i] ("Bu Sari
// yang datang mewakili"): up to five words back to a clause boundary or a
// word that cannot be part of it, without the address form.
func nameBefore(s string, toks []token, i int) string {
	j := i - 1
	for j >= 0 && beforeVerb[toks[j].word] {
		if strings.ContainsAny(s[toks[j].end:toks[j+1].start], ",;:!?()") {
			return ""
		}
		j--
	}
	if j < 0 || strings.ContainsAny(s[toks[j].end:toks[j+1].start], ",;:!?") {
		return ""
	}
	end, k := toks[j].end, j
	for ; k > 0 && k > j-4; k-- {
		w := toks[k-1].word
		if strings.ContainsAny(s[toks[k-1].end:toks[k].start], ",;:!?()") || beforeVerb[w] || nameStop[w] ||
			isNegation(w) || leads[w] || acks[w] || declineWords[w] || attendWords[w] || w == "maaf" || w == "mohon" {
			break
		}
	}
	for k < j && addressForms[toks[k].word] {
		k++
	}
	return strings.TrimSpace(s[toks[k].start:end])
}

// writerIsName: the name is the writer ("saya", "kami"): no delegation.
func writerIsName(name string) bool {
	w, _, _ := strings.Cut(strings.ToLower(name), " ")
	return w == "saya" || w == "sy" || w == "aku" || w == "kami" || w == "kita" || w == "i" || w == "we"
}

// sentenceRSVP reads one sentence. A question ("Hadir?") does not answer.
func sentenceRSVP(s string, toks []token) string {
	if hasQuestion(s) {
		return ""
	}
	eff := -1 // words before i that are not leads or acknowledgements
	for i := 0; i < len(toks); i++ {
		w := toks[i].word
		if !leads[w] && !acks[w] {
			eff++
		}
		if eff > rsvpWindow {
			break
		}
		switch {
		case w == "belum" && i+1 < len(toks) && (toks[i+1].word == "pasti" || toks[i+1].word == "tahu" ||
			toks[i+1].word == "bisa" && i+2 < len(toks) && toks[i+2].word == "memastikan"):
			return Tentative
		case tentativeWords[w] && !negatedBefore(s, toks, i):
			if hasAttendAfter(toks, i) || w == "tentative" || w == "tentatif" || w == "maybe" {
				return Tentative
			}
		case declineWords[w] && !negatedBefore(s, toks, i) && !noObstacle(toks, i):
			return Declined
		case (w == "menolak" || w == "tolak") && aboutMeeting(toks, i) && !negatedBefore(s, toks, i):
			return Declined // "… telah menolak undangan ini"
		case (w == "menerima" || w == "terima") && aboutMeeting(toks, i) && (i+1 >= len(toks) || toks[i+1].word != "kasih"):
			if negatedBefore(s, toks, i) {
				return Declined
			}
			return Accepted // "… telah menerima undangan ini"
		case attendWords[w] || acceptWords[w] || (w == "mengikuti" || w == "ikut") && aboutMeeting(toks, i):
			if i > 0 && toks[i-1].word == "yang" {
				return "" // "peserta yang hadir": a report, not an answer
			}
			if negatedBefore(s, toks, i) {
				return Declined
			}
			for j := 0; j < i; j++ {
				if freeNegation(toks, j) {
					return "" // "Tidak, hadir": neither
				}
			}
			if hedgedBefore(toks, i) {
				return Tentative
			}
			return Accepted
		case w == "make" && i+1 < len(toks) && toks[i+1].word == "it" && negatedBefore(s, toks, i):
			return Declined
		}
	}
	return ""
}

// negatedBefore: a negation token within the four words before i in the
// same clause ("tidak dapat hadir", "tdk bisa hadir", "won't be able to
// attend"), not one of an idiom ("tidak masalah, saya hadir").
func negatedBefore(s string, toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if strings.ContainsAny(s[toks[j].end:toks[j+1].start], ",;:()") {
			return false
		}
		if isNegation(toks[j].word) {
			return freeNegation(toks, j)
		}
	}
	return false
}

// hedgedBefore: a hedge word before the attendance word in its sentence
// ("kalau sempat hadir", "mungkin bisa hadir").
func hedgedBefore(toks []token, i int) bool {
	for j := 0; j < i; j++ {
		w := toks[j].word
		if tentativeWords[w] || w == "kalau" || w == "jika" || w == "bila" || w == "apabila" || w == "if" {
			return true
		}
	}
	return false
}

func hasAttendAfter(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if attendWords[toks[j].word] {
			return true
		}
	}
	return false
}

// delegateName reads up to five words of a name from toks[j] to the end of
// its clause.
func delegateName(s string, toks []token, j int) string {
	// address forms are not part of the name: "oleh Sdr. Budi Hartono"
	for j+1 < len(toks) && addressForms[toks[j].word] {
		j++
	}
	if j >= len(toks) {
		return ""
	}
	start := toks[j].start
	end := start
	for k := j; k < len(toks) && k < j+6; k++ {
		if nameStop[toks[k].word] {
			break
		}
		if k > j && strings.ContainsAny(s[toks[k-1].end:toks[k].start], ",;:!?()") {
			break
		}
		end = toks[k].end
	}
	return strings.TrimSpace(s[start:end])
}
