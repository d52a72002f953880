package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDataDirModes: check warns about a data directory and store
// others can read, and is quiet once they are private.
func TestCheckDataDirModes(t *testing.T) {
	cfg := sampleConfig(t)
	data := filepath.Join(filepath.Dir(cfg), "data")
	os.Mkdir(data, 0o755)
	os.Chmod(data, 0o755)
	os.WriteFile(filepath.Join(data, "mailflow.db"), nil, 0o644)
	var out, errb bytes.Buffer
	if code := runCheck([]string{"-config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if n := strings.Count(out.String(), "readable by group or others"); n != 2 {
		t.Errorf("%d mode warnings:\n%s", n, out.String())
	}
	os.Chmod(data, 0o700)
	os.Chmod(filepath.Join(data, "mailflow.db"), 0o600)
	out.Reset()
	runCheck([]string{"-config", cfg}, &out, &errb)
	if strings.Contains(out.String(), "readable by group") {
		t.Errorf("private files reported:\n%s", out.String())
	}
}
