package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckConfigDir: check -config-dir reports a deployment as run
// -config-dir would load it: a good one with each office and who sees
// which; a console grant of an unknown office, a conflict between two
// offices and a broken office file, each under its file's name, exit 1.
func TestCheckConfigDir(t *testing.T) {
	var entry strings.Builder
	if rc := runPasswd([]string{"-offices", "dinsos", "rina"}, strings.NewReader("kata-sandi-panjang\n"), &entry, io.Discard); rc != 0 {
		t.Fatal("passwd")
	}
	dir := officesDir(t, "[web]\nlisten = \"127.0.0.1:8025\"\n\n"+entry.String())
	var out, errb strings.Builder
	if rc := runCheck([]string{"-config-dir", dir}, &out, &errb); rc != 0 {
		t.Fatalf("good directory: rc %d\n%s%s", rc, out.String(), errb.String())
	}
	for _, want := range []string{"office bappeda (bappeda.toml):", "office dinsos (dinsos.toml):", "config OK: Kantor dinsos",
		"console: http://127.0.0.1:8025", "account rina sees 1 of 2 offices: dinsos"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}

	// A grant of an office that does not exist.
	bad := strings.Replace(entry.String(), `"dinsos"`, `"dinos"`, 1)
	os.WriteFile(filepath.Join(dir, "_console.toml"), []byte("[web]\nlisten = \"127.0.0.1:8025\"\n\n"+bad), 0o600)
	out.Reset()
	if rc := runCheck([]string{"-config-dir", dir}, &out, &errb); rc != 1 || !strings.Contains(out.String(), "_console.toml:") || !strings.Contains(out.String(), `did you mean "dinsos"`) {
		t.Errorf("unknown office in a grant: rc %d\n%s", rc, out.String())
	}
	os.Remove(filepath.Join(dir, "_console.toml"))

	// Two offices on one mailbox, and a file that does not parse.
	b, _ := os.ReadFile(filepath.Join(dir, "bappeda.toml"))
	os.WriteFile(filepath.Join(dir, "dinsos.toml"), []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "data-bappeda", "data-dinsos2"), "Kantor bappeda", "Kantor dinsos")), 0o600)
	os.WriteFile(filepath.Join(dir, "pupr.toml"), []byte("[office\nname = 1\n"), 0o600)
	out.Reset()
	rc := runCheck([]string{"-config-dir", dir}, &out, &errb)
	if rc != 1 || !strings.Contains(out.String(), "conflict: offices bappeda and dinsos share mailbox tu@bappeda.go.id") || !strings.Contains(out.String(), "pupr.toml:") {
		t.Errorf("conflict and broken file: rc %d\n%s", rc, out.String())
	}
	t.Logf("%s", out.String())
}
