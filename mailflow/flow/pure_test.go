package flow_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The flow is a pure function: no clock, network, disk or store. This test
// lists what it imports (and what our own packages under it import) and
// fails when that grows anything with I/O.
func TestFlowIsPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowedOwn := map[string]bool{
		"github.com/bangkatengah/mailflow/mailflow/flow":    true,
		"github.com/bangkatengah/mailflow/mailflow/sop":     true,
		"github.com/bangkatengah/mailflow/mailflow/workcal": true,
		"github.com/bangkatengah/mailflow/mailflow/token":   true,
	}
	var dirs []string
	for _, p := range strings.Fields(string(out)) {
		if !allowedOwn[p] {
			t.Errorf("flow depends on %s; the core may use only sop, workcal and token", p)
			continue
		}
		dirs = append(dirs, filepath.Join("..", filepath.Base(p)))
	}
	forbidden := map[string]bool{"os": true, "net": true, "io/fs": true, "os/exec": true, "database/sql": true,
		"net/http": true, "syscall": true, "io/ioutil": true, "math/rand": true, "math/rand/v2": true, "log": true, "log/slog": true}
	// token imports crypto/rand for New(); the flow never calls it (tokens
	// arrive in EvStart), which the source check below enforces.
	for _, dir := range dirs {
		pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi fsFileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range pkgs {
			for name, f := range pkg.Files {
				for _, imp := range f.Imports {
					p := strings.Trim(imp.Path.Value, `"`)
					if forbidden[p] {
						t.Errorf("%s imports %s", name, p)
					}
				}
			}
		}
	}
	// No clock reads in the core's own source.
	for _, dir := range []string{".", "../sop", "../workcal"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src := mustRead(t, f)
			for _, bad := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Sleep(", "time.After(", "time.NewTimer(", "time.Tick(", "token.New("} {
				if strings.Contains(src, bad) {
					t.Errorf("%s calls %s: time must come in as data", f, bad)
				}
			}
		}
	}
}
