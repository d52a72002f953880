package flow_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	mftoken "github.com/bangkatengah/mailflow/mailflow/token"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts")

const tok = "abcdefghijklmnopqrst"

func loadEnv(t *testing.T, path string) flow.Env {
	t.Helper()
	c, err := config.Load(path, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return flow.Env{Office: &c.Office, Cal: &c.Calendar}
}

func lakip(t *testing.T) flow.Env { return loadEnv(t, "../../config.toml") }

// scenario applies events one by one and writes a readable transcript.
type scenario struct {
	t   *testing.T
	env flow.Env
	run *flow.Run
	log []flow.Event
	out strings.Builder
	loc *time.Location
}

func newScenario(t *testing.T, env flow.Env) *scenario {
	return &scenario{t: t, env: env, loc: env.Cal.Loc}
}

// at parses "2024-05-06 09:00" in WIB.
func (s *scenario) at(v string) time.Time {
	tm, err := time.ParseInLocation("2006-01-02 15:04", v, s.loc)
	if err != nil {
		s.t.Fatal(err)
	}
	return tm
}

func (s *scenario) apply(ev flow.Event) []flow.Effect {
	s.t.Helper()
	ev.RunID = "run1"
	run, effs, err := flow.Apply(s.env, s.run, ev)
	if err != nil {
		s.t.Fatalf("apply %s: %v", ev.Type, err)
	}
	s.run = run
	s.log = append(s.log, ev)
	fmt.Fprintf(&s.out, "\n== %s %s", ev.At.In(s.loc).Format("Mon 2006-01-02 15:04"), ev.Type)
	if ev.From != "" {
		fmt.Fprintf(&s.out, " from %s", ev.From)
	}
	if ev.Command != "" || ev.Type == flow.EvReply {
		fmt.Fprintf(&s.out, " cmd=%q", ev.Command)
	}
	if ev.Step != 0 {
		fmt.Fprintf(&s.out, " step=%d", ev.Step)
	}
	if ev.Round != 0 {
		fmt.Fprintf(&s.out, " round=%d", ev.Round)
	}
	if ev.Notes != "" {
		fmt.Fprintf(&s.out, " notes=%q", ev.Notes)
	}
	for _, a := range ev.Attachments {
		fmt.Fprintf(&s.out, " +%s", a.Filename)
	}
	if ev.PartStat != "" {
		fmt.Fprintf(&s.out, " %s", ev.PartStat)
	}
	if ev.Delegate != "" {
		fmt.Fprintf(&s.out, " delegate=%q", ev.Delegate)
	}
	if ev.TextRSVP {
		s.out.WriteString(" (text)")
	}
	s.out.WriteString("\n")
	for _, e := range effs {
		s.out.WriteString("  " + describe(e, s.loc) + "\n")
		if e.Type == flow.EffSend {
			s.checkRound(e.Mail)
		}
	}
	return effs
}

// checkRound asserts that a mail about a step carries, in every token
// carrier, the round that step is in once the event is applied: the
// round of the assignment a reply to it will answer.
func (s *scenario) checkRound(m *flow.Mail) {
	s.t.Helper()
	ref, ok := mftoken.FromMessageID(m.MessageID)
	if !ok {
		s.t.Fatalf("mail %s: Message-ID carries no token", m.MessageID)
	}
	want := 0
	for _, st := range s.run.Steps {
		if st.Number == m.Step {
			want = st.Round
		}
	}
	if ref.Step != m.Step || ref.Round != want {
		s.t.Errorf("mail %s (%s step %d): ref %+v, want round %d", m.MessageID, m.Template, m.Step, ref, want)
	}
	if m.Data.Ref != mftoken.RefLine(ref) {
		s.t.Errorf("mail %s: ref line %q, want %q", m.MessageID, m.Data.Ref, mftoken.RefLine(ref))
	}
}

func describe(e flow.Effect, loc *time.Location) string {
	switch e.Type {
	case flow.EffSend:
		m := e.Mail
		var to []string
		for _, r := range m.To {
			to = append(to, r.Email)
		}
		s := fmt.Sprintf("send %s step=%d to=%s", m.Template, m.Step, strings.Join(to, ","))
		if ref, _ := mftoken.FromMessageID(m.MessageID); ref.Round > 0 {
			s += fmt.Sprintf(" r%d", ref.Round)
		}
		if m.Automatic {
			s += " auto"
		}
		if m.Data.Reason != "" {
			s += fmt.Sprintf(" reason=%q", m.Data.Reason)
		}
		if m.Data.Detail != "" {
			s += fmt.Sprintf(" detail=%q", m.Data.Detail)
		}
		if m.Data.Action != "" {
			s += " action=" + m.Data.Action
		}
		if m.Data.Unit != "" {
			s += fmt.Sprintf(" unit=%q", m.Data.Unit)
		}
		if !m.Data.Due.IsZero() && strings.HasPrefix(m.Template, "assign") {
			s += " due=" + m.Data.Due.In(loc).Format("Mon 01-02 15:04")
		}
		if m.Data.Expect != "" {
			s += fmt.Sprintf(" expect=%q", m.Data.Expect)
		}
		if l := m.Data.Latest; l != nil {
			s += fmt.Sprintf(" latest=%s/step%d/r%d", l.Template, l.Step.Number, l.Round)
		}
		if m.Data.RSVP != nil {
			s += fmt.Sprintf(" rsvp=%s", m.Data.RSVP.PartStat)
		}
		if len(m.Data.Late) > 0 {
			s += fmt.Sprintf(" late=%q", m.Data.Late)
		}
		for _, a := range m.Attachments {
			s += " +" + a.Filename
		}
		if m.Invite != nil {
			s += fmt.Sprintf(" invite=%s seq=%d start=%s attendees=%d", m.Invite.Method, m.Invite.Sequence,
				m.Invite.Start.In(loc).Format("2006-01-02 15:04"), len(m.Invite.Attendees))
		}
		return s
	case flow.EffDeadline:
		if e.Deadline.IsZero() {
			return "deadline cleared"
		}
		return "deadline " + e.Deadline.In(loc).Format("Mon 2006-01-02 15:04")
	case flow.EffEscalate:
		return fmt.Sprintf("escalate step=%d to=%s level=%d late=%v", e.Escalate.Step, e.Escalate.Role, e.Escalate.Level, e.Escalate.Late)
	case flow.EffFinish:
		return "finish " + e.Outcome
	case flow.EffNote:
		return "note: " + e.Note
	}
	return string(e.Type)
}

// tickUntil applies ticks at each wake-up up to and including the end.
func (s *scenario) tickUntil(end time.Time) {
	for s.run.Wake.After(time.Time{}) && !s.run.Wake.After(end) {
		s.apply(flow.Event{Type: flow.EvTick, At: s.run.Wake})
	}
}

func (s *scenario) golden(name string) {
	s.t.Helper()
	s.checkReplay()
	path := filepath.Join("testdata", "scenarios", name+".txt")
	got := s.out.String()
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			s.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		s.t.Errorf("transcript %s differs; run go test ./mailflow/flow -update and review the diff\n%s", path, diff(string(want), got))
	}
}

// checkReplay replays the event log and compares the state.
func (s *scenario) checkReplay() {
	var r *flow.Run
	for _, ev := range s.log {
		var err error
		r, _, err = flow.Apply(s.env, r, ev)
		if err != nil {
			s.t.Fatal(err)
		}
	}
	a, b := mustJSON(s.t, r), mustJSON(s.t, s.run)
	if a != b {
		s.t.Errorf("replayed state differs from live state")
	}
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("first difference at line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}
