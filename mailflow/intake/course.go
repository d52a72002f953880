package intake

import (
	"strings"
	"unicode"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/reply"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// kirimWords are the one-word answers that send the invitations at the
// meeting step ("balas KIRIM (atau SETUJU)").
var kirimWords = map[string]bool{"kirim": true, "kirimkan": true}

// kirim reads a reply to the meeting step whose first word is KIRIM, as
// the request asks. Only the command position counts: the first word of
// the first line with text, followed by the end of the line or a
// punctuation mark ("KIRIM", "Kirim.", "Kirim, terima kasih"). "Kirim
// ulang draf" or "jangan kirim dulu" do not qualify. The rest of the text
// is then judged by the same grammar as SETUJU, so that a hedge or a
// negation after it ("Kirim, tapi tunggu konfirmasi Kadis") is unclear,
// never a send.
func kirim(text string) (reply.Command, string, bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		t := strings.TrimLeftFunc(l, unicode.IsSpace)
		if t == "" {
			continue
		}
		end := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
		word, rest := t, ""
		if end >= 0 {
			word, rest = t[:end], t[end:]
		}
		if !kirimWords[strings.ToLower(word)] {
			return "", "", false
		}
		if rest != "" {
			r := []rune(rest)[0]
			if !unicode.IsPunct(r) && strings.TrimSpace(rest) != "" {
				return "", "", false
			}
		}
		lines[i] = "SETUJU" + rest
		cmd, notes := reply.ParseCommand(strings.Join(lines[i:], "\n"))
		return cmd, notes, true
	}
	return "", "", false
}

// atMeetingStep reports whether step is run's meeting step.
func (in *Intake) atMeetingStep(run *flow.Run, step int) bool {
	d, ok := in.office().SOP(run.SOP)
	if !ok {
		return false
	}
	s, _, ok := d.Step(step)
	return ok && s.Kind == sop.KindMeeting
}

// dispositionText is the Kepala Dinas's instruction in a disposition: the
// notes after a command if the grammar found one, else the new text he
// wrote. It reaches the Sekretaris with step 2, with or without a PDF.
func dispositionText(p *reply.Parsed) string {
	if t := strings.TrimSpace(p.Notes); t != "" {
		return t
	}
	return strings.TrimSpace(p.Text)
}

// calendarToken is the run token in one of our meeting UIDs:
// "<token>@<domain>", or "<token>-<n>@<domain>" for a meeting scheduled
// anew after a cancellation.
func calendarToken(uid string) string {
	tok, _, _ := strings.Cut(uid, "@")
	tok, _, _ = strings.Cut(tok, "-")
	return strings.ToLower(tok)
}
