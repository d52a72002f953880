package intake

import (
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/reply"
)

// KIRIM counts only as the first word of the reply, alone on its line or
// followed by punctuation, and the rest is judged as SETUJU would be.
func TestKirim(t *testing.T) {
	for _, c := range []struct {
		text string
		want reply.Command
		ok   bool
	}{
		{"KIRIM", reply.CmdApprove, true},
		{"Kirim.\n\nSalam,\nDedi", reply.CmdApprove, true},
		{"kirim, terima kasih", reply.CmdApprove, true},
		{"\n\n  Kirimkan!\n", reply.CmdApprove, true},
		{"Kirim, tapi tunggu konfirmasi Kadis dulu", reply.CmdUnclear, true},
		{"Kirim? Atau tunggu?", reply.CmdUnclear, true},
		{"Kirim ulang drafnya ke saya", "", false},
		{"Jangan kirim dulu", "", false},
		{"Mohon dikirim besok", "", false},
		{"SETUJU", "", false},
		{"", "", false},
	} {
		cmd, _, ok := kirim(c.text)
		if ok != c.ok || cmd != c.want {
			t.Errorf("kirim(%q) = %q, %v; want %q, %v", c.text, cmd, ok, c.want, c.ok)
		}
	}
}

// Property: whatever follows, kirim never reads an approval that the same
// text with SETUJU in KIRIM's place would not: the rule adds a synonym at
// the command position, never a new way to approve.
func FuzzKirim(f *testing.F) {
	for _, s := range []string{"KIRIM", "Kirim, tapi jangan dulu", "kirim ulang", "Kirim.\n\n> SETUJU", "kirim\ntidak setuju"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, _, ok := kirim(text)
		if !ok {
			return
		}
		if cmd == reply.CmdApprove {
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
			if c, _ := reply.ParseCommand(alt); c != reply.CmdApprove {
				t.Fatalf("%q sends but %q is %q", text, alt, c)
			}
		}
	})
}
