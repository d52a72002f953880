package reply

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var blankRuns = regexp.MustCompile(`\n{3,}`)

// normalize mirrors the corpus scorer: trailing spaces dropped, runs of
// blank lines collapsed, outer blank lines dropped.
func normalize(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.ReplaceAll(l, "\u00a0", " "), " \t")
	}
	return strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// TestCorpus checks the kept reply-corpus cases exactly.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*.in.*")
	if len(files) == 0 {
		t.Fatal("no corpus cases")
	}
	for _, f := range files {
		name := filepath.Base(f)
		name = name[:strings.Index(name, ".in.")]
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata/corpus", name+".expected.txt"))
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if strings.HasSuffix(f, ".html") {
			got = TrimHTML(string(in))
		} else {
			got = TrimText(string(in))
		}
		if normalize(got) != normalize(string(want)) {
			t.Errorf("%s:\n--- got\n%s\n--- want\n%s", name, got, want)
		}
	}
}

func TestCommand(t *testing.T) {
	for _, c := range []struct{ in, cmd, notes string }{
		{"SETUJU", "approve", ""},
		{"setuju pak", "approve", ""},
		{"Ok setuju, lanjutkan", "approve", ""}, // "lanjutkan" acknowledges, it is no note (issue 15 §8)
		{"Yth. Bapak Kepala Dinas,\n\nDisetujui.", "approve", ""},
		{"Baik,\nACC", "approve", ""},
		{"TIDAK SETUJU", "reject", ""},
		{"belum setuju, data kurang", "reject", "data kurang"},
		{"tidak disetujui", "reject", ""},
		{"TOLAK Anggaran melebihi pagu.\nCatatan: revisi RAB\ndan kirim ulang", "reject", "Anggaran melebihi pagu.\nrevisi RAB\ndan kirim ulang"},
		{"SELESAI, draft terlampir", "done", "draft terlampir"},
		{"STATUS", "status", ""},
		{"bantuan", "help", ""},
		{"Akan saya cek dulu.", "", ""},
	} {
		cmd, notes := ParseCommand(c.in)
		if string(cmd) != c.cmd || notes != c.notes {
			t.Errorf("ParseCommand(%q) = %q, %q; want %q, %q", c.in, cmd, notes, c.cmd, c.notes)
		}
	}
}

func TestSanitizeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":     "passwd",
		`..\..\boot.ini`:       "boot.ini",
		"laporan\x00\x1b.pdf":  "laporan.pdf",
		"/":                    "",
		".bashrc":              "bashrc",
		"Draft LAKIP 2024.pdf": "Draft LAKIP 2024.pdf",
	} {
		if got := SanitizeFilename(in); got != want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
