package flow_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

func TestQuarantineAlert(t *testing.T) {
	if m := flow.QuarantineAlert(&sop.Office{}, 1, nil, ""); m != nil {
		t.Errorf("an office without admin: %+v", m)
	}
	o := &sop.Office{Admin: " it@x.go.id ", People: []sop.Person{{Email: "kepala@x.go.id", Name: "K"}}}
	var items []flow.QuarantineItem
	for i := range 8 {
		items = append(items, flow.QuarantineItem{UID: uint32(i + 1), From: "evil@x", Subject: "s\r\nBcc: victim@x",
			Error: strings.Repeat("e", 3000)})
	}
	m := flow.QuarantineAlert(o, 8, items, "$MailflowQuarantine")
	if m == nil || m.Template != flow.TplQuarantine || len(m.To) != 1 || m.To[0].Email != "it@x.go.id" || m.Data.RecipientName != "Admin mailflow" {
		t.Fatalf("alert %+v", m)
	}
	if !m.Automatic || !m.AnyHour || m.WaitsForHours() || m.MessageID != "" || m.Data.Ref != "" {
		t.Errorf("an alert is automatic, goes at any hour and gets its Message-ID from the engine: %+v", m)
	}
	q := m.Data.Quarantine
	if q.Count != 8 || len(q.Items) != flow.MaxQuarantineItems || q.Items[0].Subject != "s Bcc: victim@x" || utf8.RuneCountInString(q.Items[0].Error) > 501 {
		t.Errorf("info %+v", q)
	}
	if items[0].Subject != "s\r\nBcc: victim@x" {
		t.Error("the caller's items were changed")
	}
	// Fewer items than the count claims never shows a count below them.
	if m := flow.QuarantineAlert(o, 0, items[:2], ""); m.Data.Quarantine.Count != 2 {
		t.Errorf("count %d for 2 items", m.Data.Quarantine.Count)
	}
	if (&flow.Mail{Automatic: true}).WaitsForHours() != true || (&flow.Mail{}).WaitsForHours() {
		t.Error("WaitsForHours")
	}
}

// FuzzInert: whatever a stranger writes, the shown text is valid UTF-8 on
// one line, holds no control or invisible format character (a bidi
// override could make "exe.pdf" of "fdp.exe") and stays within n runes
// plus the ellipsis.
func FuzzInert(f *testing.F) {
	for _, s := range []string{"", "a\r\nb", "\u202eexe.pdf", "\xff\xfe", "x\u200b\u2066y\x00\x1b[31m", strings.Repeat("é", 300)} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(0, n%400)
		got := flow.Inert(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 %q", got)
		}
		if c := utf8.RuneCountInString(got); c > n+1 {
			t.Fatalf("%d runes for n=%d", c, n)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("untidy spaces %q", got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r != ' ' && unicode.IsSpace(r) {
				t.Fatalf("%U left in %q", r, got)
			}
		}
	})
}
