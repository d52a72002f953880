package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/internal/evidencetest"
	"github.com/bangkatengah/mailflow/mailflow/report"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// pdftotext returns the text of a PDF with poppler's pdftotext (-layout
// off: one cell's words stay together). The test skips only when the tool
// is absent; .ci/record.sh installs it.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// squash folds whitespace so that a name wrapped across lines of a cell
// still matches.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestFormNamesEveryStepAndPelaksana(t *testing.T) {
	r := evidencetest.Demo(t)
	src := report.FromConfig(r.Config, r.Store) // [report] place = "Koba"
	var buf bytes.Buffer
	if err := report.Form(context.Background(), &buf, src, r.RunID); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	text := pdftotext(t, buf.Bytes())
	flat := squash(text)
	f, err := report.Load(context.Background(), src, r.RunID)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := r.Config.Office.SOP(f.Run.SOP)
	_, signed, _ := strings.Cut(workcal.Tanggal(f.Printed.In(r.Config.Calendar.Loc)), ", ")
	if f.Run.Status == flow.RunFinished && !f.Printed.Equal(f.Run.FinishedAt) {
		t.Errorf("a finished run's form is dated %v, not by its end %v", f.Printed, f.Run.FinishedAt)
	}
	for _, want := range []string{"FORMULIR MONITORING PELAKSANAAN SOP", d.Number, d.Name, d.Meta.DisahkanOleh, "Koba, " + signed, "Yang melakukan monitoring", f.Run.Title} {
		if !strings.Contains(flat, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// Every step number stands alone in the No column.
	lines := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, s := range d.Steps {
		if !lines[itoa(s.Number)] {
			t.Errorf("step %d not found as a row number", s.Number)
		}
	}
	names := 0
	for _, s := range f.Steps {
		if s.Done && len(s.Pelaksana) == 0 {
			t.Errorf("step %d done but no Pelaksana", s.Number)
		}
		for _, p := range s.Pelaksana {
			names++
			if !strings.Contains(flat, p.Name) {
				t.Errorf("step %d: Pelaksana %q not in the PDF text", s.Number, p.Name)
			}
			if p.NIP != "" && !strings.Contains(flat, "NIP. "+p.NIP) {
				t.Errorf("step %d: NIP of %s not in the PDF text", s.Number, p.Name)
			}
		}
	}
	if names < len(d.Steps) {
		t.Errorf("only %d Pelaksana over %d steps", names, len(d.Steps))
	}
	// The evidence column carries the Message-IDs of the replies.
	ev := 0
	for _, s := range f.Steps {
		for _, e := range s.Evidence {
			ev++
			if !strings.Contains(strings.ReplaceAll(text, "\n", ""), e.MessageID) {
				t.Errorf("step %d: evidence %s not in the PDF", s.Number, e.MessageID)
			}
		}
	}
	if ev == 0 {
		t.Error("no evidence at all")
	}
	// The demo's Sekretaris rejects the first draft: the reason is a catatan.
	rejected := false
	for _, s := range f.Steps {
		for _, c := range s.Catatan {
			if strings.HasPrefix(c, "Ditolak oleh") {
				rejected = true
			}
		}
	}
	if !rejected {
		t.Error("the rejection is not in any catatan")
	}
	if !strings.Contains(flat, "Ditolak oleh") {
		t.Error("the rejection is not printed")
	}
	// The rejected draft makes the approval step run twice: two rounds,
	// each measured against the Mutu Baku on its own.
	twice := false
	for _, s := range f.Steps {
		if len(s.Rounds) >= 2 && s.Rounds[0].Outcome == flow.OutcomeRejected {
			twice = true
			if s.Rounds[0].MessageID == "" || !strings.Contains(flat, "Putaran 2") {
				t.Errorf("step %d: rounds %+v", s.Number, s.Rounds)
			}
		}
	}
	if !twice {
		t.Error("no step shows the rejected round and the one after it")
	}
	// The signer is the Kasubag Perencanaan of the config.
	if !strings.Contains(flat, "Dedi Kurniawan") || !strings.Contains(flat, "Kepala Sub Bagian Perencanaan,") {
		t.Error("the signature block does not name the Kasubag Perencanaan")
	}
	// A finished run's form is dated by its end: the same bytes each time.
	var again bytes.Buffer
	if err := report.Form(context.Background(), &again, src, r.RunID); err != nil {
		t.Fatal(err)
	}
	if f.Run.Status == flow.RunFinished && !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the form of a finished run is not reproducible")
	}
}

func TestPeriodListsRunsAndRates(t *testing.T) {
	r := evidencetest.Demo(t)
	src := report.Source{Store: r.Store, Env: r.Env(), Now: func() time.Time { return time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC) }}
	p, err := report.LoadPeriod(context.Background(), src, "", 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Runs) != 1 || p.Runs[0].Run.ID != r.RunID {
		t.Fatalf("runs %d", len(p.Runs))
	}
	for _, s := range p.Steps {
		if s.Done != 1 {
			t.Errorf("step %d done in %d runs, want 1", s.Number, s.Done)
		}
		if s.Within > s.Done {
			t.Errorf("step %d: within %d > done %d", s.Number, s.Within, s.Done)
		}
	}
	var buf bytes.Buffer
	if err := p.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	flat := squash(pdftotext(t, buf.Bytes()))
	for _, want := range []string{"TAHUN 2024", r.RunID, "Tingkat kepatuhan"} {
		if !strings.Contains(flat, want) {
			t.Errorf("period report lacks %q", want)
		}
	}
	for _, s := range p.Steps {
		if !strings.Contains(flat, s.Kegiatan) {
			t.Errorf("period report lacks step %d %q", s.Number, s.Kegiatan)
		}
	}
	empty, err := report.LoadPeriod(context.Background(), src, "lakip", 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Runs) != 0 {
		t.Errorf("2023 has %d runs", len(empty.Runs))
	}
	if _, err := report.LoadPeriod(context.Background(), src, "nope", 2024); err == nil {
		t.Error("an unknown SOP is accepted")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
