package reply

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/reply/idate"
)

var update = flag.Bool("update", false, "rewrite the golden testdata/*.json files")

// goldenOpts are the options every golden case is parsed with: a fixed
// clock, WIB, PDFs and office documents allowed, 1 MB limit.
func goldenOpts(t testing.TB) Options {
	st, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Blobs:             st,
		MaxAttachment:     1 << 20,
		AllowedTypes:      []string{"application/pdf", "application/vnd.openxmlformats-officedocument.*", "image/*"},
		Now:               time.Date(2024, 5, 13, 8, 30, 0, 0, idate.WIB),
		Loc:               idate.WIB,
		TrustedAuthServID: "mx.dinsos.bangkatengahkab.go.id",
	}
}

// TestGolden parses every testdata/*.eml and compares the JSON form with
// the .json beside it. Run "go test ./mailflow/reply -update" to rewrite.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			p, err := Parse(in, goldenOpts(t))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := json.MarshalIndent(p.ToJSON(), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			want := strings.TrimSuffix(f, ".eml") + ".json"
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			if !bytes.Equal(got, exp) {
				t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, exp)
			}
		})
	}
}
