// Package grammar reads the command an official wrote in the new text of a
// reply: SETUJU, TOLAK <alasan>, SELESAI, STATUS, BANTUAN (and their English
// forms), plus "Catatan:" notes, and plain-text answers to an invitation
// (RSVP). It reads by structure: the decisive sentence is the first one
// that bears a command; the clause around the command word is then judged.
// An approval is returned only when nothing in the text takes it back: a
// negation, a hedge, a question or a reject word makes it Unclear, and a
// negation attached to the approve word ("tidak setuju") makes it Reject.
package grammar

import (
	"fmt"
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

// window is how many words (not counting leads such as "Baik pak,") may
// precede a weak command word ("terlampir", "revisi") in its sentence.
const window = 4

// maxSentences bounds the sentences read for a command.
const maxSentences = 40

// sentence is one sentence of the command region of the text.
type sentence struct {
	line int    // index of its line
	off  int    // byte offset of s in its line
	s    string // the sentence with its final punctuation
	toks []token
	// signOff: the sentence's line only signs off ("Terima kasih,")
	signOff bool
}

// Parse returns the command of the new text of a reply and its notes: the
// rest of the command line and paragraph (the reason of a rejection) and a
// "Catatan:" block, without honorifics, acknowledgements and sign-offs.
// For Unclear, notes is the sentence that was read as unclear.
func Parse(text string) (Command, string) {
	c, n, _ := ParseExplained(text)
	return c, n
}

// ParseExplained is Parse that also says, for Unclear, why (English, for
// logs and the admin).
func ParseExplained(text string) (cmd Command, note, why string) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	lines := strings.Split(text, "\n")
	ss, block, cut := commandRegion(lines)
	as := make([]analysis, len(ss))
	d, best := -1, 0
	for i := range ss {
		as[i] = analyze(ss[i].toks, ss[i].s)
		if st := as[i].strength(); st > best {
			d, best = i, st
			if st == 3 {
				break
			}
		}
	}
	if d < 0 {
		return None, "", ""
	}
	a := &as[d]
	cmd, at := a.verdict()
	if cmd == Unclear {
		why = a.doubt(ss[d].toks)
	}
	if cmd == Approve {
		switch {
		case cut || a.long:
			cmd, why = Unclear, "the text is too long to read whole"
		default:
			if w := approvalHolds(ss, as, d); w != "" {
				cmd, why = Unclear, w
			} else if !blockHolds(blockLines(lines, block), 0) {
				cmd, why = Unclear, "the notes block takes the approval back"
			}
		}
	}
	if cmd == Unclear {
		return Unclear, strings.TrimSpace(ss[d].s), why
	}
	return cmd, notes(lines, ss[d], at, block, cmd), ""
}

// approvalHolds checks the other sentences of the command region against
// an approval in sentence d: before it, no negation, hedge, question or
// reject word at all; after it, no negation, no sentence opening with a
// contrast ("Namun …"), no reject word and no negated approval. It returns
// why it does not hold, or "".
func approvalHolds(ss []sentence, as []analysis, d int) string {
	sig, sigDoubt := false, false // past a sign-off line ("Terima kasih,", "Salam,") after the approval
	for i := range ss {
		if i == d {
			continue
		}
		if i > d {
			as[i] = analyze(ss[i].toks, ss[i].s)
			sig = sig || ss[i].signOff
		}
		a := &as[i]
		var bad bool
		if sig {
			// a name, a title, a disclaimer: only command words count, and an
			// approve word after any doubt there ("ogah? setuju")
			sigDoubt = sigDoubt || a.negs > 0 || a.hedges > 0 || a.question
			bad = a.spoil > 0 || a.negApprove >= 0 || a.reject >= 0 || a.mention || (a.approve >= 0 || a.ok) && sigDoubt
		} else {
			bad = a.negs > 0 || a.spoil > 0 || a.negApprove >= 0 || a.reject >= 0 || a.rejectNeg ||
				i < d && (a.hedges > 0 || a.question) ||
				i > d && (a.contrast || a.contrastStart || a.mention || a.approve >= 0 && (a.hedges > 0 || a.question))
		}
		if !bad {
			continue
		}
		where := "before"
		if i > d {
			where = "after"
		}
		if i > d && a.contrastStart {
			return fmt.Sprintf("a sentence after the approval opens with %q", ss[i].toks[0].word)
		}
		if i > d && a.contrast {
			return "a sentence after the approval holds a contrast (namun, tapi, but)"
		}
		return "a sentence " + where + " the approval: " + a.doubt(ss[i].toks)
	}
	return ""
}

// doubt says what makes a sentence unclear.
func (a *analysis) doubt(toks []token) string {
	word := func(i int) string { return toks[i].word }
	switch {
	case a.negApprove >= 0 && a.approve >= 0:
		return "an approval and a negated approval"
	case a.question:
		return "a question mark"
	case a.negAt >= 0:
		return fmt.Sprintf("the negation %q is not attached to the approve word", word(a.negAt))
	case a.hedgeAt >= 0:
		return fmt.Sprintf("the hedge %q", word(a.hedgeAt))
	case a.negApprove >= 0:
		return fmt.Sprintf("a negated approval %q", word(a.negApprove))
	case a.spoilAt >= 0:
		return fmt.Sprintf("the reject or revision word %q", word(a.spoilAt))
	case a.done >= 0 && !a.doneWeak:
		return "an approval and a done word"
	case a.mention:
		return "an approval asked for, reported or offered as an option, not given"
	case a.rejectNeg:
		return "a negated rejection"
	}
	return "an unclear sentence"
}

// blockHolds: the notes block of an approval may say anything except take
// it back: a negated, hedged or questioned approval ("Catatan: belum
// disetujui Kadis", "setuju kalau …") or a strong reject word.
func blockHolds(lines []string, block int) bool {
	if block < 0 || block >= len(lines) {
		return true
	}
	n := 0
	for _, l := range lines[block:] {
		for off := 0; off < len(l); n++ {
			if n >= maxSentences {
				return false
			}
			end := off + sentenceEnd(l[off:])
			s := l[off:end]
			toks := tokens(s)
			a := analyze(toks, s)
			if v, _ := a.verdict(); (a.approve >= 0 || a.negApprove >= 0) && v != Approve ||
				a.reject >= 0 && rejectStrong[toks[a.reject].word] ||
				a.ok && (a.negs > 0 || a.mention) { // "tidak ok", "ok tapi": the notes take it back
				return false
			}
			off = end
		}
	}
	return true
}

// blockLines are the lines of the notes block: from block on, and, for a
// label inside a command line ("Setuju dengan catatan: …"), the rest of
// that line first, so that what follows the label is judged too.
func blockLines(lines []string, block int) []string {
	if block < 0 || block > len(lines) {
		return nil
	}
	if block > 0 {
		if mid := labelMid(lines[block-1]); mid >= 0 {
			return append([]string{lines[block-1][mid:]}, lines[block:]...)
		}
	}
	return lines[block:]
}

// commandRegion splits the text into sentences up to the first line that
// opens a notes block ("Catatan: …"), whose index it returns (-1: none).
// A sentence stops at a mid-line notes label ("SETUJU dengan catatan: …").
// cut reports that the region had more than maxSentences sentences.
func commandRegion(lines []string) (ss []sentence, block int, cut bool) {
	for li, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '>' {
			continue
		}
		if labelStart(t) {
			return ss, li, false
		}
		mid := labelMid(l)
		if mid >= 0 {
			l = l[:mid]
		}
		so := isSignOff(t) && ackOnly(t, None)
		for off := 0; off < len(l); {
			if len(ss) >= maxSentences && strings.TrimSpace(l[off:]) != "" {
				return ss, -1, true
			}
			end := off + sentenceEnd(l[off:])
			if s := l[off:end]; strings.TrimSpace(s) != "" {
				ss = append(ss, sentence{line: li, off: off, s: s, toks: tokens(s), signOff: so})
			}
			off = end
		}
		if mid >= 0 {
			return ss, li + 1, false // "SETUJU dengan catatan sbb:" and the lines after
		}
	}
	return ss, -1, false
}

// analysis is what one sentence says. Token indexes are -1 when absent.
type analysis struct {
	approve, approveEnd int  // first plain approval (word or idiom) and its last token
	idiomOnly           bool // the approval is an idiom ("tidak ada catatan")
	negApprove          int  // an approve word with a negation attached
	mention             bool // an approve word asked for or reported
	negs, hedges, spoil int  // free negations, hedges, reject words
	negAt, hedgeAt      int  // the first free negation and hedge, for why
	spoilAt             int  // the first reject word, for why
	question            bool
	long                bool // more words than maxTokens: not read whole
	contrastStart       bool
	contrast            bool // a contrast word anywhere ("…, namun …")
	ok                  bool // "ok", "oke": no approval alone, but no sign-off either
	reject              int  // a commanding reject word
	rejectNeg           bool
	done                int
	doneWeak            bool
	doneSudah           bool // the done is a bare "sudah" ("Sudah pak")
	status, help        int
}

// strength ranks a sentence as the decisive one: 3 a clear command word,
// 2 a weak done ("sudah kami kirim", "terlampir"), 1 a mention of an
// approval or a negated reject word, 0 none.
func (a *analysis) strength() int {
	switch {
	case a.approve >= 0 || a.negApprove >= 0 || a.reject >= 0 || a.status >= 0 || a.help >= 0:
		return 3
	case a.done >= 0 && !a.doneWeak:
		return 3
	case a.done >= 0:
		return 2
	case a.mention || a.rejectNeg:
		return 1
	}
	return 0
}

// verdict judges one decisive sentence; at is the token after which the
// notes start.
func (a *analysis) verdict() (Command, int) {
	plain := a.approve >= 0
	switch {
	case a.negApprove >= 0:
		if plain || a.question {
			return Unclear, -1
		}
		if a.reject >= 0 && a.reject < a.negApprove {
			return Reject, a.reject // "TOLAK lampiran belum ditandatangani"
		}
		return Reject, a.negApprove
	case plain && a.idiomOnly && a.reject < 0 && a.done >= 0:
		return Done, a.done // "Sudah kami kirim, tidak ada kendala"
	case plain && a.idiomOnly && a.reject >= 0 && a.reject < a.approve:
		return Reject, a.reject // "TOLAK, tidak ada catatan lain: data kurang" (an idiom is a weak approval)
	case plain:
		if a.negs > 0 || a.hedges > 0 || a.question || a.spoil > 0 || a.reject >= 0 || a.done >= 0 && !a.doneWeak {
			return Unclear, -1
		}
		return Approve, a.approveEnd
	case a.reject >= 0:
		return Reject, a.reject
	case a.done >= 0 && a.doneSudah && a.mention:
		// "Sudah disetujui Pak Kadis": the "sudah" reports someone
		// else's approval, not work handed in
		return Unclear, -1
	case a.done >= 0:
		return Done, a.done
	case a.mention || a.rejectNeg:
		return Unclear, -1
	case a.status >= 0:
		return Status, a.status
	case a.help >= 0:
		return Help, a.help
	}
	return None, -1
}
