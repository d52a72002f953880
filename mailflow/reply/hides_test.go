package reply

import (
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/reply/grammar"
)

// Every way of hiding a 'setuju' in HTML, read by the visibility filter
// or not, keeps it from approving (issue 9 §2; review findings).
func TestHiddenApprovalNeverApproves(t *testing.T) {
	for _, h := range []string{
		`<style>span{display:none}</style><p>Mohon waktu.</p><span>SETUJU</span>`,
		`<style>.a{color:#ffffff}</style><p class="a">SETUJU</p><p>Mohon waktu.</p>`,
		`<p style="color:hsl(0,0%,100%)">SETUJU</p><p>Mohon waktu.</p>`,
		`<p style="position:absolute;left:-9999px">SETUJU</p><p>Mohon waktu.</p>`,
		`<p style="text-indent:-9999px">SETUJU</p><p>Mohon waktu.</p>`,
		`<p style="transform:scale(0)">SETUJU</p><p>Mohon waktu.</p>`,
		`<p style="clip-path:inset(100%)">SETUJU</p><p>Mohon waktu.</p>`,
		`<details><summary>Mohon waktu.</summary>SETUJU</details>`,
		`<div style="max-height:0;overflow:hidden">SETUJU</div><p>Mohon waktu.</p>`,
		`<p>SETUJU</p><span style="color:#fff">tidak</span>`,
	} {
		p := ParseText(h, true, Options{})
		if p.Command == CmdApprove {
			t.Errorf("%s: approves (text %q)", h, p.Text)
		}
		m := mustParse(t, altMsg("SETUJU", h), Options{})
		if m.Command == CmdApprove {
			t.Errorf("alternative with %s: approves", h)
		}
	}
	// The controls: Gmail's and Outlook's own HTML approvals still approve.
	for _, h := range []string{
		`<div dir="ltr">SETUJU</div><div class="gmail_quote"><blockquote>Mohon balas SETUJU atau TOLAK</blockquote></div>`,
		`<html><head><style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body><div style="font-size:12pt;color:rgb(0,0,0)">Disetujui.</div></body></html>`,
	} {
		if p := ParseText(h, true, Options{}); p.Command != CmdApprove {
			t.Errorf("%s: %s (%s), want approve", h, p.Command, p.UnclearWhy)
		}
	}
}

// Text after a sign-off or a mobile footer that takes the reply back
// keeps it from approving; an ordinary signature does not.
func TestSignatureTailTakesBack(t *testing.T) {
	for _, body := range []string{
		"Setuju\n\nSalam,\nBudi\nNB: batal, tidak setuju",
		"Setuju.\nSent from my iPhone\nEh maaf, tidak setuju.",
		"SETUJU\n\nDikirim dari iPhone saya\n\nPS: TOLAK dulu, tabel 3 salah",
	} {
		if p := ParseText(body, false, Options{}); p.Command == CmdApprove {
			t.Errorf("%q approves", body)
		}
	}
	for _, body := range []string{
		"Setuju\n\nTerima kasih,\nBudi Santoso\nKasubag Umum\nNIP 19780512 200501 1 003",
		"SETUJU.\n\nDikirim dari iPhone saya",
	} {
		if p := ParseText(body, false, Options{}); p.Command != CmdApprove {
			t.Errorf("%q: %s (%s), want approve", body, p.Command, p.UnclearWhy)
		}
	}
}

// FuzzTakenBackAfterSignature: whatever stands between them, a negated or
// hedged approval written after a sign-off or mobile footer never leaves
// an approval standing.
func FuzzTakenBackAfterSignature(f *testing.F) {
	f.Add("Budi Santoso\nKasubag Umum", uint8(0), uint8(0))
	f.Add("", uint8(3), uint8(1))
	negs := grammar.NegationTokens()
	footers := []string{"Salam,\n", "Terima kasih,\n", "Dikirim dari iPhone saya\n", "Sent from my iPhone\n", "-- \n"}
	f.Fuzz(func(t *testing.T, mid string, n, k uint8) {
		if len(mid) > 2000 {
			return
		}
		back := negs[int(n)%len(negs)] + " setuju"
		body := "SETUJU\n\n" + footers[int(k)%len(footers)] + mid + "\nNB: " + back
		if p := ParseText(body, false, Options{}); p.Command == CmdApprove {
			t.Fatalf("%q approves", body)
		}
	})
}
