package grammar

import "strings"

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
const rsvpWindow = 7

// attendWords answer "will you come?"; declineWords decline by themselves.
var (
	attendWords  = map[string]bool{"hadir": true, "datang": true, "attend": true, "attending": true, "come": true, "join": true}
	acceptWords  = map[string]bool{"accept": true, "accepted": true, "accepting": true}
	declineWords = map[string]bool{"berhalangan": true, "halangan": true, "decline": true, "declined": true,
		"declining": true, "absen": true}
	tentativeWords = map[string]bool{"tentative": true, "tentatif": true, "maybe": true, "diusahakan": true,
		"usahakan": true, "mengusahakan": true, "mungkin": true, "semoga": true, "perhaps": true, "probably": true}
	delegateWords = map[string]bool{"diwakilkan": true, "diwakili": true, "mewakilkan": true, "mewakili": true,
		"digantikan": true, "delegate": true, "delegated": true, "represented": true}
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
	for _, s := range sentences(text, 12) {
		if ps, d := sentenceRSVP(s); ps != "" {
			return ps, d
		}
	}
	return "", ""
}

// sentenceRSVP reads one sentence.
func sentenceRSVP(s string) (string, string) {
	toks := tokens(s)
	// delegation wins over a decline in the same sentence: "Tidak dapat
	// hadir, akan diwakili oleh Kasi Perencanaan".
	for i, t := range toks {
		if !delegateWords[t.word] {
			continue
		}
		j := i + 1
		for j < len(toks) && (toks[j].word == "oleh" || toks[j].word == "kepada" || toks[j].word == "ke" ||
			toks[j].word == "to" || toks[j].word == "by" || toks[j].word == "pada") {
			j++
		}
		if name := delegateName(s, toks, j); name != "" {
			return Delegated, name
		}
	}
	lim := len(toks)
	if lim > rsvpWindow+1 {
		lim = rsvpWindow + 1
	}
	for i := 0; i < lim; i++ {
		w := toks[i].word
		switch {
		case w == "belum" && i+1 < len(toks) && (toks[i+1].word == "pasti" || toks[i+1].word == "tahu" ||
			toks[i+1].word == "bisa" && i+2 < len(toks) && toks[i+2].word == "memastikan"):
			return Tentative, ""
		case tentativeWords[w] && !negatedBefore(toks, i):
			if hasAttendAfter(toks, i) || w == "tentative" || w == "tentatif" || w == "maybe" {
				return Tentative, ""
			}
		case declineWords[w]:
			return Declined, ""
		case attendWords[w] || acceptWords[w]:
			if i > 0 && toks[i-1].word == "yang" {
				return "", "" // "peserta yang hadir": a report, not an answer
			}
			if negatedBefore(toks, i) {
				return Declined, ""
			}
			if hedgedBefore(toks, i) {
				return Tentative, ""
			}
			return Accepted, ""
		case w == "make" && i+1 < len(toks) && toks[i+1].word == "it" && negatedBefore(toks, i):
			return Declined, ""
		}
	}
	return "", ""
}

// negatedBefore: a negation token within the three words before i
// ("tidak dapat hadir", "tdk bisa hadir", "can't make it").
func negatedBefore(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if isNegation(toks[j].word) {
			return true
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
	if j >= len(toks) {
		return ""
	}
	start := toks[j].end - len(toks[j].raw)
	end := start
	for k := j; k < len(toks) && k < j+6; k++ {
		if nameStop[toks[k].word] {
			break
		}
		if k > j && strings.ContainsAny(s[toks[k-1].end:toks[k].end-len(toks[k].raw)], ",;:!?()") {
			break
		}
		end = toks[k].end
	}
	return strings.TrimSpace(s[start:end])
}
