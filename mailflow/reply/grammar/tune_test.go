package grammar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestTuneTexts reads the wanted new text of every tune client fixture
// (never heldout/): an approval where the fixture says must_not_approve
// fails; other differences are logged with their count, since the
// fixtures belong to the reply reader as a whole.
func TestTuneTexts(t *testing.T) {
	files, _ := filepath.Glob("../testdata/clients/tune/*.want.json")
	bad, n := 0, 0
	for _, f := range files {
		var w struct {
			Kind, Command, Text, Partstat, Delegate string
			Notes                                   *string
			MustNotApprove                          bool `json:"must_not_approve"`
		}
		b, err := os.ReadFile(f)
		if err != nil || json.Unmarshal(b, &w) != nil || w.Text == "" || w.Kind != "reply" {
			continue
		}
		n++
		c, notes := Parse(w.Text)
		ps, d := RSVP(w.Text)
		if w.MustNotApprove && c == Approve {
			t.Errorf("%s: %q reads as an approval", filepath.Base(f), w.Text)
		}
		if string(c) != w.Command || w.Notes != nil && notes != *w.Notes || ps != w.Partstat || d != w.Delegate {
			bad++
			t.Logf("%s: %q = %q %q %q %q; want %q %v %q %q", filepath.Base(f), w.Text, c, notes, ps, d,
				w.Command, w.Notes, w.Partstat, w.Delegate)
		}
	}
	t.Logf("tune texts: %d of %d read as wanted", n-bad, n)
}
