package grammar

import (
	"strings"
	"testing"
)

// KIRIM counts only as the first word of the reply, alone on its line or
// followed by punctuation, and the rest is judged as SETUJU would be.
func TestSend(t *testing.T) {
	for _, c := range []struct {
		text string
		want Command
		ok   bool
	}{
		{"KIRIM", Approve, true},
		{"Kirim.\n\nSalam,\nDedi", Approve, true},
		{"kirim, terima kasih", Approve, true},
		{"\n\n  Kirimkan!\n", Approve, true},
		{"Kirim, tapi tunggu konfirmasi Kadis dulu", Unclear, true},
		{"Kirim? Atau tunggu?", Unclear, true},
		{"Kirim ulang drafnya ke saya", "", false},
		{"Jangan kirim dulu", "", false},
		{"Mohon dikirim besok", "", false},
		{"SETUJU", "", false},
		{"", "", false},
	} {
		cmd, _, ok := Send(c.text)
		if ok != c.ok || cmd != c.want {
			t.Errorf("Send(%q) = %q, %v; want %q, %v", c.text, cmd, ok, c.want, c.ok)
		}
	}
}

// Property: whatever follows, kirim never reads an approval that the same
// text with SETUJU in KIRIM's place would not: the rule adds a synonym at
// the command position, never a new way to approve.
func FuzzSend(f *testing.F) {
	for _, s := range []string{"KIRIM", "Kirim, tapi jangan dulu", "kirim ulang", "Kirim.\n\n> SETUJU", "kirim\ntidak setuju"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, _, ok := Send(text)
		if !ok {
			return
		}
		if cmd == Approve {
			i := strings.Index(strings.ToLower(text), "kirim")
			if i < 0 {
				t.Fatalf("approval without KIRIM in %q", text)
			}
			rest := text[i:]
			end := strings.IndexFunc(rest, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
			if end < 0 {
				end = len(rest)
			}
			alt := "SETUJU" + rest[end:]
			if c, _ := Parse(alt); c != Approve {
				t.Fatalf("%q sends but %q is %q", text, alt, c)
			}
		}
	})
}
