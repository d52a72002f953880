package reply

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// The client fixtures (testdata/clients) are replies written the way real
// mail clients send them. tune/ may be looked at while changing the reader;
// heldout/ never is: it measures whether a change generalises. This test
// holds the invariants that must never break on either part and logs the
// same scores as testdata/clients/score.py.

// clientWant is a fixture's NAME.want.json.
type clientWant struct {
	Kind           string  `json:"kind"`
	Command        string  `json:"command"`
	Text           *string `json:"text"`
	Notes          *string `json:"notes"`
	PartStat       *string `json:"partstat"`
	Delegate       *string `json:"delegate"`
	MustNotApprove bool    `json:"must_not_approve"`
	Client         string  `json:"client"`
	Note           string  `json:"note"`
}

var (
	clientBlankRuns  = regexp.MustCompile(`\n{3,}`)
	clientWord       = regexp.MustCompile(`[\p{L}\p{N}_]+`)
	clientHonorifics = regexp.MustCompile(`(?i)^(?:(?:sdr|sdri|saudara|saudari|bapak|bpk|pak|ibu|bu|mr|mrs|ms)\.?\s+)+`)
)

// clientNorm is score.py's norm: CRLF to LF, NBSP to space, trailing
// spaces dropped, blank-line runs collapsed, outer space stripped.
func clientNorm(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(clientBlankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// clientF1 is the token multiset F1 of lower-cased word runs.
func clientF1(got, want string) float64 {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range clientWord.FindAllString(strings.ToLower(s), -1) {
			m[w]++
		}
		return m
	}
	g, w := count(got), count(want)
	ng, nw, common := 0, 0, 0
	for k, n := range g {
		ng += n
		common += min(n, w[k])
	}
	for _, n := range w {
		nw += n
	}
	if ng == 0 && nw == 0 {
		return 1
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(ng), float64(common)/float64(nw)
	return 2 * p * r / (p + r)
}

func clientSameName(got, want string) bool {
	clean := func(s string) string {
		s = clientHonorifics.ReplaceAllString(strings.TrimSpace(s), "")
		return strings.ToLower(strings.TrimRight(s, " .,"))
	}
	return clean(got) == clean(want)
}

// clientScore counts one metric: right of total, and who failed.
type clientScore struct {
	right, total int
	fail         []string
}

func (s *clientScore) add(ok bool, name string) {
	s.total++
	if ok {
		s.right++
	} else {
		s.fail = append(s.fail, name)
	}
}

func (s *clientScore) String() string {
	if s.total == 0 {
		return "    -"
	}
	return fmt.Sprintf("%3d / %-3d %5.1f%%", s.right, s.total, 100*float64(s.right)/float64(s.total))
}

func TestClientFixtures(t *testing.T) {
	now := time.Date(2024, 5, 6, 12, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	for _, part := range []string{"tune", "heldout"} {
		t.Run(part, func(t *testing.T) {
			dir := filepath.Join("testdata", "clients", part)
			emls, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
			wants, _ := filepath.Glob(filepath.Join(dir, "*.want.json"))
			if len(emls) < 40 {
				t.Fatalf("%s: %d fixtures, want at least 40", dir, len(emls))
			}
			if len(emls) != len(wants) {
				t.Errorf("%s: %d .eml but %d .want.json", dir, len(emls), len(wants))
			}
			sort.Strings(emls)
			metrics := []string{"kind right", "command right", "text exact", "text f1>=0.9",
				"notes right", "partstat right", "delegate right"}
			score := map[string]*clientScore{}
			for _, m := range metrics {
				score[m] = &clientScore{}
			}
			var parseErrs, unsafe []string
			for _, eml := range emls {
				name := strings.TrimSuffix(filepath.Base(eml), ".eml")
				var w clientWant
				b, err := os.ReadFile(strings.TrimSuffix(eml, ".eml") + ".want.json")
				if err == nil {
					err = json.Unmarshal(b, &w)
				}
				if err != nil {
					t.Errorf("%s: want: %v", name, err)
					continue
				}
				// The fixture rule itself: whoever did not clearly approve is flagged.
				if w.Command != string(CmdApprove) && !w.MustNotApprove {
					t.Errorf("%s: command %q without must_not_approve", name, w.Command)
				}
				f, err := os.Open(eml)
				if err != nil {
					t.Fatal(err)
				}
				p, err := Parse(f, Options{Now: now})
				f.Close()
				got := map[string]any{}
				if err != nil {
					t.Errorf("%s: Parse: %v", name, err)
					parseErrs = append(parseErrs, name)
				} else {
					// Through the JSON form, so fields added later (delegate) count too.
					j, _ := json.Marshal(p.ToJSON())
					_ = json.Unmarshal(j, &got)
				}
				str := func(k string) string { s, _ := got[k].(string); return s }
				if w.MustNotApprove && str("command") == string(CmdApprove) {
					t.Errorf("%s: UNSAFE APPROVAL (%s): the official did not approve; read %q", name, w.Client, str("text"))
					unsafe = append(unsafe, name)
				}
				score["kind right"].add(str("kind") == w.Kind, name)
				score["command right"].add(str("command") == w.Command, name)
				if w.Text != nil {
					score["text exact"].add(err == nil && clientNorm(str("text")) == clientNorm(*w.Text), name)
					score["text f1>=0.9"].add(err == nil && clientF1(str("text"), *w.Text) >= 0.9, name)
				}
				if w.Notes != nil {
					score["notes right"].add(err == nil && clientNorm(str("notes")) == clientNorm(*w.Notes), name)
				}
				if w.PartStat != nil {
					score["partstat right"].add(str("partstat") == *w.PartStat, name)
				}
				if w.Delegate != nil {
					score["delegate right"].add(clientSameName(str("delegate"), *w.Delegate), name)
				}
			}
			t.Logf("== %s (%d cases)", part, len(emls))
			t.Logf("  %-18s %d %s", "parse errors", len(parseErrs), strings.Join(parseErrs, ", "))
			for _, m := range metrics {
				t.Logf("  %-18s %s", m, score[m])
			}
			t.Logf("  %-18s %d %s", "UNSAFE APPROVALS", len(unsafe), strings.Join(unsafe, ", "))
		})
	}
}
