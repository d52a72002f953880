package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/demo"
)

// configAt copies the sample config with data_dir pointing at dir.
func configAt(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `data_dir = "data"`, `data_dir = "`+dir+`"`, 1)
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReportExportVerify(t *testing.T) {
	dir := t.TempDir()
	res, err := demo.Run(context.Background(), demo.Options{ConfigPath: "../../config.toml", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r := struct{ RunID string }{res.Run.ID}
	cfg := configAt(t, dir)
	out := t.TempDir()
	var so, se bytes.Buffer
	pdf := filepath.Join(out, "laporan.pdf")
	if code := runReport([]string{r.RunID, "-config", cfg, "-o", pdf}, &so, &se); code != 0 {
		t.Fatalf("report: exit %d: %s", code, se.String())
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("report wrote no PDF: %v", err)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command(bin, pdf, "-").Output()
		if err != nil || !strings.Contains(string(txt), r.RunID) || !strings.Contains(string(txt), "Koba, ") {
			t.Errorf("pdftotext: %v\n%s", err, txt)
		}
	}
	if code := runReport([]string{"-config", cfg, "-year", "2024", "-o", filepath.Join(out, "rekap.pdf")}, &so, &se); code != 0 {
		t.Fatalf("report -year: exit %d: %s", code, se.String())
	}
	if code := runReport([]string{"-config", cfg, "-o", pdf}, &so, &se); code != 2 {
		t.Errorf("report without RUN or -year: exit %d", code)
	}
	zip := filepath.Join(out, "bundle.zip")
	if code := runExport([]string{r.RunID, "-config", cfg, "-o", zip}, &so, &se); code != 0 {
		t.Fatalf("export: exit %d: %s", code, se.String())
	}
	if st, _ := os.Stat(zip); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode: %v", st)
	}
	so.Reset()
	if code := runVerify([]string{zip}, &so, &se); code != 0 || !strings.Contains(so.String(), "OK") {
		t.Fatalf("verify: exit %d: %s%s", code, so.String(), se.String())
	}
	// One byte changed in the file on disk: verify fails and says so.
	b, _ := os.ReadFile(zip)
	b[len(b)/2] ^= 0x20
	bad := filepath.Join(out, "bad.zip")
	os.WriteFile(bad, b, 0o600)
	so.Reset()
	se.Reset()
	if code := runVerify([]string{bad}, &so, &se); code != 1 {
		t.Errorf("verify of a changed bundle: exit %d: %s%s", code, so.String(), se.String())
	}
	if code := runVerify([]string{filepath.Join(out, "nope.zip")}, &so, &se); code != 1 {
		t.Errorf("verify of a missing file: exit %d", code)
	}
}

func TestReadOnlyCommandsNeverCreateAStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "elsewhere")
	cfg := configAt(t, dir)
	for name, run := range map[string]func([]string, *bytes.Buffer, *bytes.Buffer) int{
		"report": func(a []string, o, e *bytes.Buffer) int {
			return runReport(append(a, "x", "-o", filepath.Join(t.TempDir(), "x.pdf")), o, e)
		},
		"export": func(a []string, o, e *bytes.Buffer) int {
			return runExport(append(a, "x", "-o", filepath.Join(t.TempDir(), "x.zip")), o, e)
		},
	} {
		var so, se bytes.Buffer
		if code := run([]string{"-config", cfg}, &so, &se); code != 1 || !strings.Contains(se.String(), "holds no mailflow data") {
			t.Errorf("%s: exit %d: %s", name, code, se.String())
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the data dir was created: %v", err)
	}
}

// The demo's -out directory gets the run's form and a bundle that verifies.
func TestDemoWritesFormAndBundle(t *testing.T) {
	out := t.TempDir()
	stdout := os.Stdout
	devnull, _ := os.Open(os.DevNull)
	os.Stdout = devnull
	code := cmdDemo([]string{"-config", "../../config.toml", "-out", out})
	os.Stdout = stdout
	if code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	if b, err := os.ReadFile(filepath.Join(out, "laporan.pdf")); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("laporan.pdf: %v", err)
	}
	var so, se bytes.Buffer
	if code := runVerify([]string{filepath.Join(out, "bundle.zip")}, &so, &se); code != 0 {
		t.Fatalf("verify the demo's bundle: exit %d: %s%s", code, so.String(), se.String())
	}
}
