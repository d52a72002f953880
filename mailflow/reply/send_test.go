package reply

import (
	"strings"
	"testing"
)

// KIRIM goes through an approval's checks: the HTML a client shows must say
// the same, nothing after the signature may take it back, and HTML that
// hides text is not trusted. Only then is it CmdApprove.
func TestSendIsCheckedLikeAnApproval(t *testing.T) {
	parse := func(msg string) *Parsed {
		t.Helper()
		p, err := Parse(strings.NewReader(msg), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, msg string
		want      Command
	}{
		{"plain", altMsg("KIRIM\r\n", "<p>KIRIM</p>"), CmdApprove},
		{"html disagrees", altMsg("KIRIM\r\n", "<p>Jangan kirim dulu</p>"), CmdUnclear},
		{"html hides text", altMsg("KIRIM\r\n", `<p>KIRIM</p><p style="display:none">tunggu</p>`), CmdUnclear},
		{"taken back after the signature", altMsg("Kirim.\r\n\r\nSalam,\r\nDedi\r\nNB: batal, tidak setuju\r\n", "<p>Kirim.</p><p>Salam,<br>Dedi<br>NB: batal, tidak setuju</p>"), CmdUnclear},
		{"hedged", altMsg("Kirim, tapi tunggu Kadis\r\n", "<p>Kirim, tapi tunggu Kadis</p>"), CmdUnclear},
		{"not the first word", altMsg("Jangan kirim dulu\r\n", "<p>Jangan kirim dulu</p>"), CmdNone},
	} {
		p := parse(c.msg)
		if p.Send != c.want || p.Command != CmdNone && p.Command != CmdUnclear {
			t.Errorf("%s: send %q command %q, want send %q", c.name, p.Send, p.Command, c.want)
		}
	}
}
