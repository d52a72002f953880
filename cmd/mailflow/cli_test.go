package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleConfig copies config.toml to a temp dir so the store lands there.
func sampleConfig(t *testing.T) string {
	b, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, b, 0o644)
	return p
}

func TestCheck(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runCheck([]string{"-config", sampleConfig(t)}, &out, &errb); code != 0 {
		t.Fatalf("sample config: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "steps 9–10 are missing") || !strings.Contains(out.String(), "config OK") {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	if code := runCheck([]string{"-config", "../../mailflow/config/testdata/bad/password.toml"}, &out, &errb); code != 1 {
		t.Fatalf("bad config: exit %d", code)
	}
	if strings.Contains(out.String(), "rahasia") || !strings.Contains(out.String(), "<redacted>") {
		t.Errorf("secret handling:\n%s", out.String())
	}
	errb.Reset()
	if code := runCheck([]string{"-config", "/nonexistent/mailflow.toml"}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "/nonexistent/mailflow.toml") || !strings.Contains(errb.String(), "sample config.toml") {
		t.Errorf("missing config: exit %d, %q", code, errb.String())
	}
}

func TestStartStatusHistory(t *testing.T) {
	cfg := sampleConfig(t)
	var out, errb bytes.Buffer
	if code := runStart([]string{"-config", cfg, "-title", "LAKIP Tahun 2023"}, &out, &errb); code != 0 {
		t.Fatalf("start: %d %s", code, errb.String())
	}
	id := strings.Fields(out.String())[2]
	out.Reset()
	if code := runStatus([]string{"-config", cfg}, &out, &errb, time.Now); code != 0 || !strings.Contains(out.String(), id) {
		t.Fatalf("status list: %d\n%s", code, out.String())
	}
	out.Reset()
	later := func() time.Time { return time.Now().Add(30 * 24 * time.Hour) }
	if code := runStatus([]string{"-config", cfg, id}, &out, &errb, later); code != 0 {
		t.Fatalf("status run: %d %s", code, errb.String())
	}
	for _, want := range []string{"Rina Marlina", "OVERDUE", "pending", "mail: 0 sent, 1 pending"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := runHistory([]string{"-config", cfg, id}, &out, &errb); code != 0 || !strings.Contains(out.String(), "#1") || !strings.Contains(out.String(), "started by hand") {
		t.Fatalf("history: %d\n%s", code, out.String())
	}
	if code := runStatus([]string{"-config", cfg, "nosuchrun"}, &out, &errb, time.Now); code != 1 {
		t.Errorf("unknown run: exit %d", code)
	}
	// Flags may follow the run, as the README writes them.
	out.Reset()
	if code := runStatus([]string{id, "-config", cfg}, &out, &errb, time.Now); code != 0 || !strings.Contains(out.String(), "run "+id) {
		t.Errorf("status RUN -config: exit %d\n%s", code, out.String())
	}
	errb.Reset()
	if code := runMeeting([]string{"-config", cfg, id, "-cancel"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "has sent no invitation yet") {
		t.Errorf("meeting before step 13: exit %d, %q", code, errb.String())
	}
}
