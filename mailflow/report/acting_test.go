package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// A step done by an acting official names them with their acting title
// and the post they held for, on the day they acted.
func TestPelaksanaActing(t *testing.T) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	loc := cfg.Calendar.Loc
	env := flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}
	d := &cfg.Office.SOPs[0]
	// The shipped config makes the Kasubag Perencanaan Plh. Sekretaris on
	// 15-19 July 2024.
	acting := "perencanaan@dinsospmd.bangkatengahkab.go.id"
	run := &flow.Run{ID: "r1", SOP: d.ID, Title: "LAKIP", Status: flow.RunActive, StartedAt: time.Date(2024, 7, 16, 8, 0, 0, 0, loc)}
	for i, s := range d.Steps {
		st := flow.StepState{Number: s.Number, Status: flow.StepPending}
		if i == 1 { // step 2, the Sekretaris's
			st = flow.StepState{Number: s.Number, Status: flow.StepDone, Round: 1, StartedAt: run.StartedAt,
				DoneAt: run.StartedAt.Add(5 * time.Minute), DoneBy: acting, WorkMinutes: 5}
		}
		run.Steps = append(run.Steps, st)
	}
	run.Cur = 2
	f, err := build(Source{Env: env, Now: func() time.Time { return run.StartedAt.Add(time.Hour) }}, run, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Steps[1].Pelaksana
	if len(p) != 1 || p[0].Acting != "Plh." || p[0].For != "Sekretaris Dinas" || !strings.Contains(p[0].Name, "Dedi Kurniawan") {
		t.Fatalf("step 2 Pelaksana: %+v", p)
	}
	if !f.Steps[1].Within || f.Steps[2].Done || len(f.Steps[5].Rounds) != 0 {
		t.Errorf("rows: %+v", f.Steps[:3])
	}
	var buf bytes.Buffer
	if err := f.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if got := pelaksanaText(p); !strings.Contains(got, "Plh. Sekretaris Dinas") {
		t.Errorf("Pelaksana cell: %q", got)
	}
}

// Text an official wrote cannot reorder or hide what the form prints.
func TestCleanDropsControls(t *testing.T) {
	in := "TOLAK\u202e ini\x00\x1b[31m merah\u200b\tdan\r\nbaris"
	if got := clean(in); got != "TOLAK ini[31m merah dan \nbaris" {
		t.Errorf("clean = %q", got)
	}
}

// FuzzCell: whatever an official writes (notes land in the Catatan column)
// lays out without a panic or an error, however long or strange.
func FuzzCell(f *testing.F) {
	f.Add("Catatan: tabel 3 diperbaiki")
	f.Add(strings.Repeat("panjangsekalitanpaspasi", 40))
	f.Add("\u202e\x00\xff\xfe 漢字 🙂 …")
	f.Fuzz(func(t *testing.T, s string) {
		d := newDoc("L", time.Unix(0, 0), "uji")
		d.AddPage()
		tb := &table{d: d, widths: formWidths, head: formHead}
		tb.header()
		for range 3 {
			tb.row([]string{"1", s, s, "10 menit", s, s, s, s, ""})
		}
		var buf bytes.Buffer
		if err := output(d, &buf); err != nil {
			t.Fatal(err)
		}
	})
}

// A cell longer than a page is cut with a pointer to the bundle, so that
// every row stays on its page.
func TestLongCellStaysOnItsPage(t *testing.T) {
	d := newDoc("L", time.Unix(0, 0), "uji")
	d.AddPage()
	tb := &table{d: d, widths: formWidths, head: formHead}
	tb.header()
	long := strings.Repeat("baris catatan\n", 200)
	_, ph := d.GetPageSize()
	if h := tb.height([]string{"1", "x", "x", "x", "x", "x", "x", long, ""}); h > ph-24 {
		t.Fatalf("row height %.0f mm on a %.0f mm page", h, ph)
	}
	tb.row([]string{"1", "x", "x", "x", "x", "x", "x", long, ""})
	if d.GetY() > ph-12 {
		t.Errorf("the row ends at %.0f mm, below the page's margin", d.GetY())
	}
}

// The form's columns fill A4 landscape inside the margins, one width per
// heading.
func TestFormColumnsFitThePage(t *testing.T) {
	sum := 0.0
	for _, w := range formWidths {
		sum += w
	}
	d := newDoc("L", time.Unix(0, 0), "uji")
	pw, _ := d.GetPageSize()
	l, _, r, _ := d.GetMargins()
	if len(formWidths) != len(formHead) || math.Abs(sum-(pw-l-r)) > 0.01 {
		t.Errorf("%d widths for %d headings, %.1f mm for %.1f mm", len(formWidths), len(formHead), sum, pw-l-r)
	}
}
