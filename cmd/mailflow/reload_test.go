package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
)

type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
func (w *syncWriter) String() string { w.mu.Lock(); defer w.mu.Unlock(); return w.b.String() }

// TestReloadChecksFirst drives the SIGHUP path: a bad edit is refused
// with its errors logged and the running daemon untouched; a good edit is
// applied, keeping the embedded servers and their mailboxes.
func TestReloadChecksFirst(t *testing.T) {
	src, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(src), "[mail]\n", "[mail]\nembedded_imap = \"127.0.0.1:0\"\nembedded_smtp = \"127.0.0.1:0\"\n", 1)
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte(good), 0o600)
	cfg, err := config.Load(path, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncWriter{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	build := func(cfg *config.Config, opt app.Options) (*app.App, error) { return app.Build(cfg, log, opt) }
	first, err := build(cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan bool, 1)
	sup := &supervisor{path: path, log: log, cur: first, build: build, reloaded: func(ok bool) { results <- ok }}
	hup := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.run(ctx, hup) }()
	reload := func(content string) bool {
		t.Helper()
		os.WriteFile(path, []byte(content), 0o600)
		hup <- struct{}{}
		select {
		case ok := <-results:
			return ok
		case <-time.After(20 * time.Second):
			t.Fatal("no reload")
		}
		return false
	}
	imapAddr := first.Server.IMAPAddr()
	// A mail in an official's mailbox, to see that a reload keeps it.
	sek := "sekretaris@dinsospmd.bangkatengahkab.go.id"
	pw := embeddedPassword(filepath.Join(app.DataDir(cfg), "embedded-accounts.txt"), sek)
	if _, err := first.Server.Append(sek, "INBOX", nil, strings.NewReader("Subject: tetap\r\n\r\nisi\r\n")); err != nil {
		t.Fatal(err)
	}

	// Bad edits: a TOML error, and a valid file with a wrong value.
	if reload(strings.Replace(good, "[office]", "[office", 1)) {
		t.Fatal("a config that does not parse was applied")
	}
	if reload(strings.Replace(good, `mode = "embedded"`, `mode = "embeded"`, 1)) {
		t.Fatal("a config with an unknown mode was applied")
	}
	if sup.cur != first {
		t.Fatal("the running daemon was replaced by a bad config")
	}
	for _, w := range []string{"config reload refused", "mail.mode = \\\"embeded\\\": unknown mode", "the running config stays in force"} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, logs.String())
		}
	}
	// The old daemon still answers.
	c, err := imapclient.DialInsecure(imapAddr, nil)
	if err != nil {
		t.Fatalf("embedded server gone after a refused reload: %v", err)
	}
	c.Close()

	// A good edit: applied.
	renamed := strings.Replace(good, `short_name = "Dinsos PMD Bangka Tengah"`, `short_name = "Dinsos PMD Bateng"`, 1)
	if !reload(renamed) {
		t.Fatalf("a good config was refused:\n%s", logs.String())
	}
	if sup.cur == first || sup.cur.Cfg.ShortName != "Dinsos PMD Bateng" {
		t.Fatalf("not applied: short name %q", sup.cur.Cfg.ShortName)
	}
	if sup.cur.Server != first.Server || sup.cur.Server.IMAPAddr() != imapAddr {
		t.Error("the embedded server was not kept")
	}
	c, err = imapclient.DialInsecure(imapAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(sek, pw).Wait(); err != nil {
		t.Fatalf("login after the reload: %v", err)
	}
	if sel, err := c.Select("INBOX", nil).Wait(); err != nil || sel.NumMessages != 1 {
		t.Errorf("the mailbox after the reload: %v", err)
	}
	c.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	sup.cur.Close()
	if _, err := imapclient.DialInsecure(imapAddr, nil); err == nil {
		t.Error("the embedded server outlived the last daemon")
	}
}

// The test binary doubles as mailflow for TestSIGHUPChild.
func TestMain(m *testing.M) {
	if args := os.Getenv("MAILFLOW_TEST_CHILD_ARGS"); args != "" {
		os.Exit(dispatch(strings.Fields(args)))
	}
	os.Exit(m.Run())
}

// TestSIGHUPChild sends real signals to a child "mailflow run": a bad
// edit is refused and logged, a good one applied, SIGTERM stops it.
func TestSIGHUPChild(t *testing.T) {
	src, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(src), "[mail]\n", "[mail]\nembedded_imap = \"127.0.0.1:0\"\nembedded_smtp = \"127.0.0.1:0\"\n", 1)
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte(good), 0o600)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "MAILFLOW_TEST_CHILD_ARGS=run -config "+path)
	logs := &syncWriter{}
	cmd.Stderr, cmd.Stdout = logs, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitLog := func(s string, n int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for strings.Count(logs.String(), s) < n {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the child's log:\n%s", s, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitLog("mailflow running", 1)
	os.WriteFile(path, []byte(strings.Replace(good, `require_auth = "dmarc"`, `require_auth = "spf"`, 1)), 0o600)
	cmd.Process.Signal(syscall.SIGHUP)
	waitLog("the running config stays in force", 1)
	if !strings.Contains(logs.String(), "replies.require_auth") {
		t.Errorf("the refused key is not named:\n%s", logs.String())
	}
	os.WriteFile(path, []byte(good), 0o600)
	cmd.Process.Signal(syscall.SIGHUP)
	waitLog("config reloaded and applied", 1)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "mailflow stopped") {
		t.Errorf("no clean stop:\n%s", logs.String())
	}
}
