package grammar

import (
	"strings"
	"unicode"
)

// kirimWords are the one-word answers that send the Rapat Tim invitations
// at the meeting step ("balas KIRIM (atau SETUJU)").
var kirimWords = map[string]bool{"kirim": true, "kirimkan": true}

// Send reads a reply whose first word is KIRIM, as the meeting step's
// request asks. Only the command position counts: the first word of the
// first line with text, followed by the end of the line or a punctuation
// mark ("KIRIM", "Kirim.", "Kirim, terima kasih"). "Kirim ulang draf" or
// "jangan kirim dulu" do not qualify (ok is false). The rest of the text is
// then judged exactly as after SETUJU, so a hedge or a negation after it
// ("Kirim, tapi tunggu konfirmasi Kadis") is Unclear, never Approve.
func Send(text string) (cmd Command, notes string, ok bool) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
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
			return None, "", false
		}
		if strings.TrimSpace(rest) != "" && !unicode.IsPunct([]rune(rest)[0]) {
			return None, "", false
		}
		lines[i] = "SETUJU" + rest
		cmd, notes = Parse(strings.Join(lines[i:], "\n"))
		return cmd, notes, true
	}
	return None, "", false
}
