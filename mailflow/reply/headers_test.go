package reply

import (
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/token"
)

// refInBodyConcat is the reference: the scan over plain + "\n" + html.
func refInBodyConcat(body string) (token.Ref, bool) {
	for i := 1; i+1 < len(body); i++ {
		if (body[i] == 'f' || body[i] == 'F') && body[i+1] == '-' && (body[i-1] == 'm' || body[i-1] == 'M') {
			if r, ok := token.FromText(body[max(i-2, 0):min(i+2+token.Len+6, len(body))]); ok {
				return r, true
			}
		}
	}
	return token.Ref{}, false
}

func TestRefInBody(t *testing.T) {
	tok := "abcdefghijklmnopqrst"
	ref := "Ref: MF-" + tok + "-3"
	bodies := []string{"", "MF-", "mf-x", ref, "x MF-" + tok + "-1 y", "Mf-" + tok + "-12", "xMF-" + tok}
	for _, plain := range bodies {
		for _, html := range bodies {
			for _, cut := range []int{0, 1, 5, 9} {
				// references split across the joint
				p, h := plain, html
				if cut > 0 && cut < len(ref) {
					p, h = plain+ref[:cut], ref[cut:]+html
				}
				got, gok := refInBody(p, []byte(h))
				want, wok := refInBodyConcat(p + "\n" + h)
				if got != want || gok != wok {
					t.Errorf("refInBody(%q, %q) = %v %v, want %v %v", p, h, got, gok, want, wok)
				}
			}
		}
	}
	if r, ok := refInBody(strings.Repeat("Draft-", 100)+ref, nil); !ok || r.Token != tok || r.Step != 3 {
		t.Errorf("ref = %v %v", r, ok)
	}
}
