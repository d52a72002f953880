// Package grammar reads the command an official wrote in the first
// meaningful line of a reply: SETUJU, TOLAK <alasan>, SELESAI, STATUS,
// BANTUAN (and their English forms), plus "Catatan:" notes. Negation never
// reads as approval: "TIDAK SETUJU" is a rejection.
package grammar

import (
	"regexp"
	"strings"
)

// Command is what a reply asks for.
type Command string

// The commands.
const (
	None    Command = ""
	Approve Command = "approve"
	Reject  Command = "reject"
	Done    Command = "done"
	Status  Command = "status"
	Help    Command = "help"
	// Unclear: the text mixes an approve word with a negation, a hedge or a
	// reject word in a way the grammar does not know. It changes nothing;
	// the sender is asked to answer with one word.
	Unclear Command = "unclear"
)

// maxInput bounds the work on hostile input.
const maxInput = 64 << 10

// window is how many words of the first line may precede the command word
// ("Ok setuju", "Baik pak, setuju").
const window = 4

var words = map[string]Command{
	"setuju": Approve, "disetujui": Approve, "setujui": Approve, "acc": Approve, "approve": Approve,
	"approved": Approve, "menyetujui": Approve, "approval": Approve,
	"tolak": Reject, "ditolak": Reject, "revisi": Reject, "perbaiki": Reject, "reject": Reject,
	"rejected": Reject, "menolak": Reject, "diperbaiki": Reject,
	"selesai": Done, "sudah": Done, "terlampir": Done, "done": Done, "finished": Done,
	"status":  Status,
	"bantuan": Help, "help": Help,
}

// greetingRe matches a line that only greets or acknowledges.
var greetingRe = regexp.MustCompile(`(?i)^\s*(yth\.?|kepada yth\.?|dear|hi|hello|halo|hallo|hai|selamat (pagi|siang|sore|malam)|` +
	`assalamu.?alaikum.*|salam sejahtera|bapak|ibu|pak|bu|baik|ok(e|ay)?|siap|noted|terima kasih|mohon maaf)\b[^\n]*$`)

// leadRe strips an acknowledging lead word before a command on one line.
var leadRe = regexp.MustCompile(`(?i)^\s*(baik|siap|oke|okay)\s*(pak|bu|bapak|ibu)?\s*[,.!:;-]+\s*`)

// honorificRe matches a rest of line that carries no reason ("pak", "bu").
var honorificRe = regexp.MustCompile(`(?i)^(pak|bu|bapak|ibu|mas|mbak|ya|yah|terima ?kasih|thanks|thank you)?[\s.,!]*$`)

var catatanRe = regexp.MustCompile(`(?i)^\s*(catatan|note|notes|keterangan|alasan|reason)\s*[:：]\s*(.*)$`)

// Parse returns the command of the new text of a reply and its notes: the
// rest of the command line (the reason of a rejection) and any "Catatan:"
// lines.
func Parse(text string) (Command, string) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	cmd, rest, at := None, "", -1
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if m := catatanRe.FindStringSubmatch(l); m != nil {
			break // notes before any command: no command
		}
		c, r, ok := lineCommand(l)
		if ok {
			cmd, rest, at = c, r, i
			break
		}
		if greetingRe.MatchString(l) && len([]rune(l)) < 80 {
			// "Mohon maaf terlambat. Bahan terlampir, SELESAI.": after a
			// greeting sentence, the next sentence of the line may command.
			if c, r, ok := afterGreeting(l); ok {
				cmd, rest, at = c, r, i
				break
			}
			continue
		}
		break
	}
	notes := collectNotes(lines, at)
	rest = CleanReason(rest)
	if honorificRe.MatchString(rest) {
		rest = ""
	}
	switch {
	case rest != "" && notes != "":
		notes = rest + "\n" + notes
	case rest != "":
		notes = rest
	}
	return cmd, notes
}

// afterGreeting reads the command of the sentences that follow a greeting
// sentence on the same line.
func afterGreeting(l string) (Command, string, bool) {
	for {
		i := strings.IndexAny(l, ".!")
		if i < 0 || i == len(l)-1 {
			return None, "", false
		}
		l = strings.TrimSpace(l[i+1:])
		if l == "" {
			return None, "", false
		}
		if c, r, ok := lineCommand(l); ok {
			return c, r, true
		}
		if !greetingRe.MatchString(l) {
			return None, "", false
		}
	}
}

// lineCommand reads the command of one line, if any.
func lineCommand(l string) (Command, string, bool) {
	l = leadRe.ReplaceAllString(l, "")
	toks := tokens(l)
	// negation anywhere before an approval word is a rejection
	for i, t := range toks {
		if i >= window+2 {
			break
		}
		if negations[t.word] {
			for j := i + 1; j < len(toks) && j <= i+3; j++ {
				if words[toks[j].word] == Approve || toks[j].word == "ok" {
					return Reject, l[toks[j].end:], true
				}
			}
		}
	}
	best, bestAt := None, -1
	for i, t := range toks {
		if i >= window {
			break
		}
		c := words[t.word]
		if c == None {
			continue
		}
		if negations[prev(toks, i)] {
			continue
		}
		if c == Reject && t.word == "diperbaiki" && prev(toks, i) == "sudah" {
			c = Done // "sudah diperbaiki": already fixed
		}
		if best == None || rank(c) < rank(best) {
			best, bestAt = c, i
		}
		// Only "sudah" is a weak done word ("sudah disetujui" approves);
		// "SELESAI, draft sudah diperbaiki" is done.
		if c != Done || t.word != "sudah" {
			break
		}
	}
	if best == None {
		return None, "", false
	}
	return best, l[toks[bestAt].end:], true
}

// rank orders commands when a line holds several ("sudah disetujui").
func rank(c Command) int {
	switch c {
	case Reject:
		return 0
	case Approve:
		return 1
	case Done:
		return 3
	}
	return 2
}

func prev(toks []token, i int) string {
	if i == 0 {
		return ""
	}
	return toks[i-1].word
}

// collectNotes returns the "Catatan:" block: from the label to the end of
// the text (notes may span several lines).
func collectNotes(lines []string, after int) string {
	for i := after + 1; i < len(lines); i++ {
		if i < 0 {
			continue
		}
		m := catatanRe.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		parts := []string{strings.TrimSpace(m[2])}
		for _, l := range lines[i+1:] {
			parts = append(parts, strings.TrimSpace(l))
		}
		return strings.TrimSpace(strings.Join(parts, "\n"))
	}
	return ""
}

// CleanReason trims the punctuation that joins a command to its reason.
func CleanReason(s string) string {
	return strings.TrimSpace(strings.TrimLeft(s, " ,.:;-–—!"))
}
