//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestOneDaemonPerDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	release, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A second holder (another open file, as another process has) is refused
	// with the first one's pid.
	_, err = lockDataDir(dir)
	if err == nil || !strings.Contains(err.Error(), dir+" is in use by pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second lock: %v", err)
	}
	release()
	release2, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release2()
}

// The lock holds against another process too: flock(1) from util-linux
// tries the same file.
func TestLockSeenByAnotherProcess(t *testing.T) {
	bin, err := exec.LookPath("flock")
	if err != nil {
		t.Skip("flock(1) not installed")
	}
	dir := t.TempDir()
	release, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := exec.Command(bin, "-n", filepath.Join(dir, "mailflow.lock"), "true").Run(); err == nil {
		t.Fatal("another process took the lock")
	}
}
