package render_test

import (
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/render/samples"
)

// The notices that ask an official to answer again say what to do,
// whatever the wording: the unclear one quotes what was read (escaped in
// HTML) and the one-word answer; the stale and untokened ones name the
// mail to answer by its subject as it was sent.
func TestNoticesSayWhatToAnswer(t *testing.T) {
	r, loc := newRenderer(t, "")
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]string{} // sample name -> subject
	byName := map[string]int{}
	for i, s := range mails {
		subj, _, _, err := r.Render(s.Mail, loc)
		if err != nil {
			t.Fatal(err)
		}
		subjects[s.Name], byName[s.Name] = subj, i
	}
	render := func(name string) (string, string) {
		i, ok := byName[name]
		if !ok {
			t.Fatalf("no sample %s", name)
		}
		_, text, html, err := r.Render(mails[i].Mail, loc)
		if err != nil {
			t.Fatal(err)
		}
		return text, html
	}
	text, html := render("notice_unclear")
	for _, want := range []string{"Pada prinsipnya setuju, tapi tabel <b>capaian</b> belum lengkap.", "satu kata", "SETUJU atau TOLAK <alasan>"} {
		if !strings.Contains(text, want) {
			t.Errorf("unclear text lacks %q", want)
		}
	}
	if strings.Contains(html, "<b>capaian") || !strings.Contains(html, "&lt;b&gt;capaian") || !strings.Contains(html, "SETUJU atau TOLAK &lt;alasan&gt;") {
		t.Error("unclear html does not escape what was read")
	}
	// The stale notice names round 2's review request by its real subject.
	text, html = render("notice_stale_round")
	want := subjects["assign_approval_revision"]
	if want == "" || !strings.Contains(text, `"`+want+`"`) || !strings.Contains(html, want) {
		t.Errorf("stale notice does not name %q:\n%s", want, text)
	}
	text, _ = render("notice_stale_rsvp")
	if want := subjects["invitation_update"]; !strings.Contains(text, want) {
		t.Errorf("stale RSVP notice does not name %q", want)
	}
	text, _ = render("notice_no_token")
	if !strings.Contains(text, "[LAKIP 2023 - Langkah 4] Permintaan bahan LAKIP: Bidang Perlindungan dan Jaminan Sosial") ||
		!strings.Contains(text, "tombol Balas") {
		t.Errorf("no-token notice does not name the request:\n%s", text)
	}
	text, _ = render("receipt_rsvp")
	if !strings.Contains(text, "Diwakilkan oleh Ahmad Fauzi, S.E.") {
		t.Errorf("RSVP receipt does not say what was recorded:\n%s", text)
	}
	text, _ = render("attendance")
	if !strings.Contains(text, "Diwakilkan oleh Ahmad Fauzi, S.E.") || !strings.Contains(text, "1 diwakilkan") {
		t.Errorf("attendance does not show the delegate:\n%s", text)
	}
	text, _ = render("assign_report")
	if !strings.Contains(text, "Bidang Pemberdayaan Masyarakat Desa") || !strings.Contains(text, "Mohon maaf atas keterlambatan.") {
		t.Errorf("the readiness report lacks the units' notes:\n%s", text)
	}
}
