package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr is a loopback address nothing listens on (for the embedded
// servers, whose addresses two offices may not share).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// officesDir writes two offices (the sample leave-request office) and,
// if console is not "", its _console.toml.
func officesDir(t *testing.T, console string) string {
	dir := t.TempDir()
	src, err := os.ReadFile("../../mailflow/flow/testdata/cuti.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"bappeda", "dinsos"} {
		s := strings.NewReplacer(`mailbox = "tu@contoh.go.id"`, fmt.Sprintf("mailbox = \"tu@%s.go.id\"\ndata_dir = \"data-%s\"", id, id),
			`name = "Kantor Contoh"`, `name = "Kantor `+id+`"`,
			`mode = "embedded"`, fmt.Sprintf("mode = \"embedded\"\nembedded_imap = %q\nembedded_smtp = %q", freeAddr(t), freeAddr(t))).Replace(string(src))
		os.WriteFile(filepath.Join(dir, id+".toml"), []byte(s), 0o600)
	}
	if console != "" {
		os.WriteFile(filepath.Join(dir, "_console.toml"), []byte(console), 0o600)
	}
	return dir
}

// TestRunOfficesConsole: mailflow run -config-dir serves the offices'
// console, with the grants of _console.toml.
func TestRunOfficesConsole(t *testing.T) {
	var entry strings.Builder
	if rc := runPasswd([]string{"-offices", "dinsos", "rina"}, strings.NewReader("kata-sandi-panjang\n"), &entry, io.Discard); rc != 0 {
		t.Fatal("passwd")
	}
	dir := officesDir(t, "[web]\nlisten = \"127.0.0.1:0\"\n\n"+entry.String())
	base := startOffices(t, dir, nil, nil)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	var body string
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := hc.Get(base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(end) {
			t.Fatalf("/readyz: %s", body)
		}
	}
	if !strings.Contains(body, "office bappeda: ready") || !strings.Contains(body, "office dinsos: ready") {
		t.Fatalf("/readyz:\n%s", body)
	}
	resp, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := strings.SplitN(strings.SplitN(string(b), `name="csrf" value="`, 2)[1], `"`, 2)[0]
	resp, err = hc.PostForm(base+"/login", map[string][]string{"csrf": {tok}, "akun": {"rina"}, "sandi": {"kata-sandi-panjang"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body) // redirected to the offices list
	resp.Body.Close()
	if !strings.Contains(string(b), `data-office="dinsos"`) || strings.Contains(string(b), `data-office="bappeda"`) {
		t.Fatalf("rina's offices list:\n%s", b)
	}
}

// TestRunOfficesRefusesOfficeConsole: an office file that opens its own
// console stops the start, saying where the console goes.
func TestRunOfficesRefusesOfficeConsole(t *testing.T) {
	dir := officesDir(t, "")
	f, _ := os.OpenFile(filepath.Join(dir, "dinsos.toml"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n[web]\nlisten = \"127.0.0.1:8026\"\n")
	f.Close()
	var stderr strings.Builder
	if rc := serveOffices(context.Background(), dir, slog.New(slog.DiscardHandler), io.Discard, &stderr, nil, nil); rc != 1 ||
		!strings.Contains(stderr.String(), "dinsos.toml") || !strings.Contains(stderr.String(), "_console.toml") {
		t.Fatalf("rc %d: %s", rc, stderr.String())
	}
}

// startOffices runs serveOffices on dir until the test ends (then it must
// have stopped cleanly) and returns the console's base URL, read from the
// "Console: URL" line it prints.
func startOffices(t *testing.T, dir string, hup <-chan struct{}, tune func(*deployment)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	var stderr strings.Builder
	go func() {
		done <- serveOffices(ctx, dir, slog.New(slog.DiscardHandler), pw, &stderr, hup, tune)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		go io.Copy(io.Discard, pr)
		if rc := <-done; rc != 0 {
			t.Errorf("rc %d: %s", rc, stderr.String())
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "Console: ")
	if err != nil || !ok {
		t.Fatalf("no console URL: %q %v %s", line, err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	return base
}
