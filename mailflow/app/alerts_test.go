package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
)

// TestQuarantineAlertsRateLimited: the first quarantine is told at once;
// a burst after it is one summary an hour later, however many there are.
func TestQuarantineAlertsRateLimited(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var sent []int
	var timers []func()
	var waits []time.Duration
	a := &quarantineAlerts{every: time.Hour, now: func() time.Time { return now },
		afterFunc: func(d time.Duration, f func()) { waits = append(waits, d); timers = append(timers, f) },
		send: func(n int, sample []mailin.Quarantined) {
			if len(sample) > flow.MaxQuarantineItems || len(sample) > n {
				t.Errorf("sample of %d for %d", len(sample), n)
			}
			sent = append(sent, n)
		}}
	a.add(mailin.Quarantined{UID: 1})
	for i := 0; i < 500; i++ {
		now = now.Add(time.Second)
		a.add(mailin.Quarantined{UID: uint32(i + 2)})
	}
	if len(sent) != 1 || sent[0] != 1 || len(timers) != 1 || waits[0] != time.Hour-time.Second {
		t.Fatalf("after the burst: sent %v, timers %d, waits %v", sent, len(timers), waits)
	}
	now = now.Add(time.Hour - 500*time.Second)
	timers[0]()
	if len(sent) != 2 || sent[1] != 500 {
		t.Fatalf("summary: sent %v", sent)
	}
	timers[0]() // a stray timer sends nothing new
	now = now.Add(2 * time.Hour)
	a.add(mailin.Quarantined{UID: 900})
	if len(sent) != 3 || sent[2] != 1 || len(timers) != 1 {
		t.Errorf("after a quiet period: sent %v, timers %d", sent, len(timers))
	}
}

// TestPrivateDir: files an older mailflow left world-readable in the data
// directory are made 0600, directories 0700; a symlink is not followed.
func TestPrivateDir(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	os.WriteFile(outside, []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(dir, "attachments", "ab"), 0o755)
	os.WriteFile(filepath.Join(dir, "attachments", "ab", "f"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "embedded-accounts.txt"), []byte("x"), 0o666)
	os.Symlink(outside, filepath.Join(dir, "link"))
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		info, _ := os.Lstat(p)
		want := os.FileMode(0o600)
		switch {
		case d.IsDir():
			want = 0o700
		case d.Type()&os.ModeSymlink != 0:
			return nil
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if fi, _ := os.Stat(outside); fi.Mode().Perm() != 0o644 {
		t.Errorf("followed the symlink: %v", fi.Mode().Perm())
	}
}
