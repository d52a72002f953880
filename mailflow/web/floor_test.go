package web_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFloors: the console is above app; only the command may import it,
// and the metrics package stays below app.
func TestFloors(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/bangkatengah/mailflow/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, deps := f[0], " "+strings.Join(f[1:], " ")+" "
		if strings.Contains(deps, " "+mod+"mailflow/web ") && pkg != mod+"cmd/mailflow" {
			t.Errorf("%s imports mailflow/web: the console is above everything but the command", pkg)
		}
		if pkg == mod+"mailflow/metrics" && (strings.Contains(deps, " "+mod+"mailflow/app ") || strings.Contains(deps, " "+mod+"mailflow/web ")) {
			t.Errorf("mailflow/metrics imports app or web")
		}
	}
}
