package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceUnit: dist/mailflow.service has what an admin relies on, and
// systemd-analyze verify accepts it (with this test binary standing in for
// /usr/local/bin/mailflow; .ci/admin.sh verifies the installed one).
func TestServiceUnit(t *testing.T) {
	b, err := os.ReadFile("../../dist/mailflow.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	for _, want := range []string{
		"\nUser=mailflow\n", "\nStateDirectory=mailflow\n", "\nProtectSystem=strict\n", "\nNoNewPrivileges=yes\n",
		"\nRestart=on-failure\n", "ExecStart=/usr/local/bin/mailflow run -config /etc/mailflow/config.toml\n",
		"\nExecReload=/bin/kill -HUP $MAINPID\n", "\nUMask=0077\n",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("the unit lacks %q", strings.TrimSpace(want))
		}
	}
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (.ci/admin.sh installs it)")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "mailflow.service")
	os.WriteFile(p, []byte(strings.ReplaceAll(unit, "/usr/local/bin/mailflow", self)), 0o644)
	out, err := exec.Command(sa, "verify", p).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
