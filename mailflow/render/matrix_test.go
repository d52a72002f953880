package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// TestRegisterMatrix is the tone review fixture: every template rendered
// for a holder of every role, once signed from below the role (upward:
// the mail asks) and once from above it (downward: the mail assigns), into
// testdata/matrix/<template>.golden. A change of wording shows up there in
// review. It also checks what every rendering must (not) say.
func TestRegisterMatrix(t *testing.T) {
	env, _, err := samples.Env(configPath)
	if err != nil {
		t.Fatal(err)
	}
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := samples.AdminMails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]*flow.Mail{}
	var order []string
	for _, s := range append(mails, admin...) {
		if first[s.Mail.Template] == nil {
			first[s.Mail.Template] = s.Mail
			order = append(order, s.Mail.Template)
		}
	}
	for _, k := range render.Kinds {
		if first[k] == nil {
			t.Errorf("no sample of template %s", k)
		}
	}
	loc := env.Cal.Loc
	letterAt := time.Date(2024, 6, 14, 10, 0, 0, 0, loc)
	for _, tpl := range order {
		var out strings.Builder
		for _, role := range env.Office.Roles {
			holders := env.Office.Holders(role.ID, letterAt)
			if len(holders) == 0 {
				continue
			}
			p := holders[0].Person
			for _, dir := range []sop.Direction{sop.Upward, sop.Downward} {
				signer, ok := signerRole(env.Office, role.ID, dir)
				fmt.Fprintf(&out, "######## %s, %s (%s), arah %s", tpl, role.Name, p.Name, dir)
				if !ok {
					fmt.Fprintf(&out, ": tidak ada peran %s peran ini\n\n", map[sop.Direction]string{sop.Upward: "di bawah", sop.Downward: "di atas"}[dir])
					continue
				}
				fmt.Fprintf(&out, ", ditandatangani %s\n", signer)
				office := *env.Office
				office.Naskah.Signers = []sop.SignerRule{{Kinds: []string{"*"}, Role: signer}}
				r, err := render.New(render.Options{Office: &office, DayMinutes: env.Cal.MinutesPerDay()})
				if err != nil {
					t.Fatal(err)
				}
				m := readdress(first[tpl], p, letterAt)
				subj, text, html, err := r.Render(m, loc)
				if err != nil {
					t.Fatalf("%s for %s: %v", tpl, role.ID, err)
				}
				checkTone(t, fmt.Sprintf("%s/%s/%s", tpl, role.ID, dir), m, dir, subj, text, html)
				fmt.Fprintf(&out, "Subject: %s\n\n%s\n", subj, text)
			}
		}
		path := filepath.Join("testdata", "matrix", tpl+".golden")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./mailflow/render -update)", err)
		}
		if string(want) != out.String() {
			t.Errorf("%s differs; run go test ./mailflow/render -update and review the diff\n%s", path, firstDiff(string(want), out.String()))
		}
	}
}

// signerRole is a role that makes mail to role go in direction dir: one
// below it (upward) or above it (downward).
func signerRole(o *sop.Office, role string, dir sop.Direction) (string, bool) {
	for _, r := range o.Roles {
		if dir == sop.Upward && o.Above(role, r.ID) || dir == sop.Downward && o.Above(r.ID, role) {
			if len(o.Holders(r.ID, time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC))) > 0 {
				return r.ID, true
			}
		}
	}
	return "", false
}

// readdress sends m to p in their own right, and gives meeting mail the
// letter mail-out attaches.
func readdress(m *flow.Mail, p *sop.Person, at time.Time) *flow.Mail {
	c := *m
	c.To = []flow.Recipient{{Email: p.Email, Name: p.Name}}
	c.Data.Salutation, c.Data.RecipientName, c.Data.Jabatan, c.Data.Acting, c.Data.ActingFor = p.Salutation, p.Name, p.Jabatan, "", ""
	if c.Data.Meeting != nil && (c.Template == flow.TplInvitation || c.Template == flow.TplCancel || c.Template == flow.TplSend) {
		kind := "undangan"
		if c.Template == flow.TplCancel {
			kind = "pembatalan"
		} else if c.Data.Meeting.Sequence > 0 {
			kind = "perubahan"
		}
		c.Data.Letter = &flow.LetterRef{Nomor: "005/7/DINSOSPMD/2024", Filename: "Undangan_005-7-DINSOSPMD-2024.pdf", Date: at,
			Kind: kind, Signer: "Rina Marlina, S.Sos., M.M.", Agenda: "Pembahasan Draft awal LAKIP (LAKIP Tahun 2023)"}
	}
	return &c
}

var (
	hormatRe  = regexp.MustCompile(`(?i)dengan hormat`)
	englishRe = regexp.MustCompile(`\((Accept|Reply|Decline)\)|\d B\b|\bmailflow\b|revisi ke-|putaran ke-|[Dd]raft (ini|tersebut|akan|dikembalikan)|Dengan hormat kami`)
)

func checkTone(t *testing.T, name string, m *flow.Mail, dir sop.Direction, subj, text, html string) {
	t.Helper()
	admin := m.Data.Ref == ""
	for _, r := range subj {
		if r > 0x7e {
			t.Errorf("%s: subject %q is not plain ASCII (it would be RFC 2047-encoded)", name, subj)
			break
		}
	}
	if n := len(hormatRe.FindAllString(text, -1)); n > 1 {
		t.Errorf("%s: \"dengan hormat\" %d times", name, n)
	}
	body := text
	if admin { // the admin's own tool is named in the admin's alerts ("mailflow status")
		body = strings.ReplaceAll(body, "mailflow", "")
	}
	if bad := englishRe.FindString(body); bad != "" {
		t.Errorf("%s: %q in what an official reads", name, bad)
	}
	if !strings.Contains(text, "Hormat kami,") {
		t.Errorf("%s: no signature block", name)
	}
	if m.Template == flow.TplTask || m.Template == flow.TplApproval || m.Template == flow.TplReport {
		up := strings.Contains(subj, "] Mohon ")
		if dir == sop.Upward && !up {
			t.Errorf("%s: upward assignment does not ask: %q", name, subj)
		}
		if dir == sop.Downward && m.Data.Step.Kind == "task" && !strings.Contains(subj, "] Penugasan: ") {
			t.Errorf("%s: downward task is not a Penugasan: %q", name, subj)
		}
	}
	if strings.Contains(text, "Atas perhatian dan") {
		if want := map[sop.Direction]string{sop.Upward: "Atas perhatian dan arahan", sop.Downward: "Atas perhatian dan kerja sama"}[dir]; !strings.Contains(text, want) {
			t.Errorf("%s: closing is not %q", name, want)
		}
	}
}

// TestZoneFromConfig renders every sample in the WITA zone: no template
// may say WIB by itself.
func TestZoneFromConfig(t *testing.T) {
	r, _ := newRenderer(t, "")
	wita, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mails {
		subj, text, html, err := r.Render(s.Mail, wita)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{subj, text, html} {
			if strings.Contains(part, "WIB") {
				t.Errorf("%s: WIB in a mail rendered for WITA", s.Name)
			}
		}
		if s.Mail.Template == flow.TplStatus && !strings.Contains(text, "jam kerja, WITA") {
			t.Errorf("status does not name the office zone")
		}
	}
}
