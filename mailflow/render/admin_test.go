package render_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
)

// checkAdminMail asserts what a mail of no run must say: the admin's
// salutation, the count, every item, and nothing a stranger wrote that
// could act as markup or forge a line.
func checkAdminMail(t *testing.T, m *flow.Mail, subj, text, html string) {
	t.Helper()
	q := m.Data.Quarantine
	if q == nil {
		t.Fatalf("admin mail %s without quarantine data", m.Template)
	}
	if want := "[mailflow] Peringatan: " + strconv.Itoa(q.Count) + " surel masuk dikarantina"; subj != want {
		t.Errorf("subject %q, want %q", subj, want)
	}
	if !strings.Contains(text, "Yth. "+m.Data.Salutation+" "+m.Data.RecipientName) || strings.Contains(text, "Ref: ") {
		t.Errorf("text lacks the salutation or carries a run's Ref line")
	}
	for _, bad := range []string{"<no value>", "%!", "{{", "\r", "\u202e", "<script", "<b>"} {
		if strings.Contains(text, bad) && bad != "<script" && bad != "<b>" || strings.Contains(html, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
	if strings.Contains(text, "\nBcc:") {
		t.Error("a Subject's line break forged a line in the text body")
	}
	for _, it := range q.Items {
		uid := strconv.FormatUint(uint64(it.UID), 10)
		if !strings.Contains(text, "UID          : "+uid) || !strings.Contains(html, ">"+uid+" (INBOX)<") {
			t.Errorf("item UID %s missing", uid)
		}
		if it.From != "" && !strings.Contains(text, it.From) {
			t.Errorf("text lacks the sender %q", it.From)
		}
		if strings.Contains(it.From, "<script>") && !strings.Contains(html, "&lt;script&gt;") {
			t.Errorf("html does not escape %q", it.From)
		}
	}
	if n := strings.Count(text, "Waktu        : "); n != len(q.Items) {
		t.Errorf("%d items in the text, want %d", n, len(q.Items))
	}
	if len(q.Items) < q.Count && !strings.Contains(text, strconv.Itoa(len(q.Items))+" surel pertama dari "+strconv.Itoa(q.Count)) {
		t.Error("a summary does not say it shows only the first items")
	}
	if !strings.Contains(text, " WIB") {
		t.Error("times not in WIB")
	}
}

// The admin's alerts carry no Tag of a run: mail of no run is tagged
// [mailflow], never a run's tag a stranger could aim at.
func TestAdminSamplesRender(t *testing.T) {
	r, loc := newRenderer(t, "")
	mails, err := samples.AdminMails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) < 2 {
		t.Fatalf("%d admin samples", len(mails))
	}
	for _, s := range mails {
		if _, _, _, err := r.Render(s.Mail, loc); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}
