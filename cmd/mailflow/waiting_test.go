package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func TestWaitReason(t *testing.T) {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	loc := cfg.Calendar.Loc
	// Tuesday 7 May 2024 18.00 WIB: after hours; Wednesday opens at 07.30.
	evening := time.Date(2024, 5, 7, 18, 0, 0, 0, loc)
	wedOpen := time.Date(2024, 5, 8, 7, 30, 0, 0, loc)
	auto := flow.Mail{Template: flow.TplReminder, Automatic: true}
	for _, c := range []struct {
		name string
		row  store.OutboxRow
		now  time.Time
		want string
	}{
		{"quiet hours", store.OutboxRow{Mail: auto, NextAttempt: wedOpen}, evening, "menunggu jam kerja: Rab 07.30 WIB"},
		{"retry", store.OutboxRow{Mail: auto, Attempts: 2, LastError: "451 4.3.0 try later", NextAttempt: time.Date(2024, 5, 7, 18, 42, 0, 0, loc)}, evening,
			"retry 3 at 18:42, last error: 451 4.3.0 try later"},
		{"retry tomorrow", store.OutboxRow{Mail: auto, Attempts: 4, LastError: "connection refused", NextAttempt: wedOpen}, evening,
			"retry 5 at Rab 07.30 WIB, last error: connection refused"},
		{"due", store.OutboxRow{Mail: flow.Mail{Template: flow.TplTask}, NextAttempt: evening.Add(-time.Minute)}, evening, "due now"},
		{"far", store.OutboxRow{Mail: flow.Mail{Template: flow.TplTask}, NextAttempt: time.Date(2024, 5, 27, 9, 0, 0, 0, loc)}, evening,
			"scheduled for Sen 27/05 09.00 WIB"},
	} {
		if got := waitReason(c.row, &cfg.Calendar, c.now); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The runs list shows when a run started in the office's zone, not UTC.
func TestStatusListInOfficeZone(t *testing.T) {
	cfg := sampleConfig(t)
	var out, errb bytes.Buffer
	if code := runStart([]string{"-config", cfg, "-title", "LAKIP Tahun 2023"}, &out, &errb); code != 0 {
		t.Fatalf("start: %d %s", code, errb.String())
	}
	out.Reset()
	if code := runStatus([]string{"-config", cfg}, &out, &errb, time.Now); code != 0 {
		t.Fatalf("status: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), " WIB") {
		t.Errorf("STARTED is not in WIB:\n%s", out.String())
	}
}

// status against a config whose data_dir holds no store says so and
// leaves nothing behind.
func TestStatusWithoutStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "other-data")
	cfg := configAt(t, dir)
	var out, errb bytes.Buffer
	if code := runStatus([]string{"-config", cfg}, &out, &errb, time.Now); code != 1 || !strings.Contains(errb.String(), "holds no mailflow data") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("status created %s: %v", dir, err)
	}
}
