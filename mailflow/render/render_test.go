package render_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/render/samples"
	"github.com/bangkatengah/mailflow/templates"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const configPath = "../../config.toml"

func newRenderer(t testing.TB, dir string) (*render.Renderer, *time.Location) {
	t.Helper()
	env, _, err := samples.Env(configPath)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Dir: dir, Office: env.Office, DayMinutes: env.Cal.MinutesPerDay()})
	if err != nil {
		t.Fatal(err)
	}
	return r, env.Cal.Loc
}

// TestGolden renders every sample mail and compares it with
// testdata/<name>.golden. Run `go test ./mailflow/render -update` and
// read the diff after changing a template.
func TestGolden(t *testing.T) {
	r, loc := newRenderer(t, "")
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := samples.AdminMails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	mails = append(mails, admin...)
	covered := map[string]bool{}
	for _, s := range mails {
		covered[s.Mail.Template] = true
		t.Run(s.Name, func(t *testing.T) {
			subj, text, html, err := r.Render(s.Mail, loc)
			if err != nil {
				t.Fatal(err)
			}
			if s.Mail.Data.Ref == "" {
				checkAdminMail(t, s.Mail, subj, text, html)
			} else {
				checkMail(t, s.Mail, subj, text, html)
			}
			got := "Subject: " + subj + "\n\n" + text + "\n==== text/html ====\n" + html
			path := filepath.Join("testdata", s.Name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./mailflow/render -update)", err)
			}
			if string(want) != got {
				t.Errorf("%s differs; run go test ./mailflow/render -update and review the diff\n%s", path, firstDiff(string(want), got))
			}
		})
	}
	for _, k := range render.Kinds {
		if !covered[k] {
			t.Errorf("no golden sample for template %s", k)
		}
	}
}

// checkMail asserts what every mail must say, whatever the wording.
func checkMail(t *testing.T, m *flow.Mail, subj, text, html string) {
	t.Helper()
	d := m.Data
	if !strings.HasPrefix(subj, render.Tag(d, m.Step)+" ") || !strings.Contains(subj, "LAKIP 2023") {
		t.Errorf("subject %q lacks the tag", subj)
	}
	if last := lastLine(text); last != d.Ref || !strings.HasPrefix(d.Ref, "Ref: MF-") {
		t.Errorf("text body ends with %q, want the reference line %q", last, d.Ref)
	}
	if !strings.Contains(html, d.Ref) {
		t.Errorf("html body lacks %q", d.Ref)
	}
	// "Yth. Ibu Sekretaris Dinas" and the name on the next line; the
	// team and people without a jabatan are named.
	salute := "Yth. " + d.Salutation + " "
	if !strings.HasPrefix(text, salute) || !strings.Contains(text, d.RecipientName) {
		t.Errorf("text lacks the salutation %q and the name %q", salute, d.RecipientName)
	}
	if d.Acting != "" && !strings.Contains(text, d.Acting+" "+d.Step.Role) {
		t.Errorf("acting official not addressed as %s %s", d.Acting, d.Step.Role)
	}
	for _, bad := range []string{"<no value>", "%!", "MISSING", "{{"} {
		if strings.Contains(text, bad) || strings.Contains(html, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
	if strings.HasPrefix(m.Template, "assign_") {
		for _, want := range []string{
			"Langkah        : " + itoa(d.Step.Number), d.Step.Kegiatan, d.Step.Kelengkapan,
			"Mutu Baku      : " + d.Step.Waktu, "paling lambat " + workcalFormat(d.Due), "Catatan:",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("assignment lacks %q", want)
			}
		}
		for _, c := range d.Commands {
			if !strings.Contains(text, c) {
				t.Errorf("assignment lacks the command %q", c)
			}
		}
		for _, a := range m.Attachments {
			if !strings.Contains(text, a.Filename) {
				t.Errorf("assignment does not list the attachment %s", a.Filename)
			}
		}
	}
}

func TestOverrideDir(t *testing.T) {
	dir := t.TempDir()
	custom := `{{define "help.subject"}}Bantuan khusus{{end -}}
Yth. {{.Salutation}} {{.RecipientName}}, ini petunjuk versi kantor.
{{.Ref}}
`
	if err := os.WriteFile(filepath.Join(dir, "help.txt.tmpl"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	r, loc := newRenderer(t, dir)
	mails, err := samples.Mails(configPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mails {
		if s.Mail.Template != flow.TplHelp {
			continue
		}
		subj, text, html, err := r.Render(s.Mail, loc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(subj, "] Bantuan khusus") || !strings.Contains(text, "versi kantor") {
			t.Errorf("override not used: %q\n%s", subj, text)
		}
		if !strings.Contains(html, "SETUJU") { // the built-in HTML stays
			t.Errorf("built-in html lost")
		}
		return
	}
	t.Fatal("no help sample")
}

func TestMissingTemplateReported(t *testing.T) {
	fsys := fstest.MapFS{}
	names, _ := templatesNames()
	for _, n := range names {
		if n == "status.html.tmpl" {
			continue
		}
		b, _ := templates.FS.ReadFile(n)
		fsys[n] = &fstest.MapFile{Data: b}
	}
	_, err := render.New(render.Options{FS: fsys})
	if err == nil || !strings.Contains(err.Error(), "status.html.tmpl") {
		t.Fatalf("err = %v, want status.html.tmpl named", err)
	}
}

func TestTag(t *testing.T) {
	for _, c := range []struct {
		tag, title string
		step       int
		want       string
	}{
		{"LAKIP", "LAKIP Tahun 2023", 8, "[LAKIP 2023 - Langkah 8]"},
		{"LAKIP", "LAKIP Tahun 2023", 0, "[LAKIP 2023]"},
		{"LAKIP", "Laporan kinerja", 4, "[LAKIP - Langkah 4]"},
		{"", "Renja 2025", 2, "[Renja 2025 - Langkah 2]"},
	} {
		if got := render.Tag(flow.MailData{Tag: c.tag, RunTitle: c.title}, c.step); got != c.want {
			t.Errorf("Tag(%q, %q, %d) = %q, want %q", c.tag, c.title, c.step, got, c.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r, loc := newRenderer(b, "")
	mails, err := samples.Mails(configPath)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := r.Render(mails[i%len(mails)].Mail, loc); err != nil {
			b.Fatal(err)
		}
	}
}
