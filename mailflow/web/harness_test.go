package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/demo"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

const (
	testAccount  = "rina"
	testPassword = "kata-sandi-uji-123"
)

var (
	hashOnce sync.Once
	testHash string
)

// console is a running mailflow (embedded servers) with its console.
type console struct {
	App *app.App
	Web *web.Server
	URL string
	Run string // the demo's finished run
}

// startConsole plays the demo into a data dir (a finished run with a
// rejected draft, so steps 7 and 8 have two rounds), then runs mailflow
// on that data dir with the console, as "mailflow run" does.
func startConsole(t *testing.T, withDemo bool) *console {
	t.Helper()
	hashOnce.Do(func() {
		var err error
		if testHash, err = web.HashPassword(testPassword); err != nil {
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	cfgPath, _ := filepath.Abs("../../config.toml")
	c := &console{}
	if withDemo {
		res, err := demo.Run(context.Background(), demo.Options{ConfigPath: cfgPath, DataDir: dir, Out: io.Discard})
		if err != nil {
			t.Fatalf("demo: %v", err)
		}
		c.Run = res.Run.ID
	}
	cfg, err := config.Load(cfgPath, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.Mode = "embedded"
	cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Web = config.Web{Listen: "127.0.0.1:0", ReadyIMAP: 10 * time.Minute,
		Accounts: []config.WebAccount{{Name: testAccount, Hash: config.Secret(testHash)}}}
	log := slog.New(slog.DiscardHandler)
	a, err := app.Build(cfg, log, app.Options{DataDir: dir, PollInterval: time.Second, MaxWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := web.New(a, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.Run(ctx) }()
	go func() { defer wg.Done(); srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		a.Close()
	})
	c.App, c.Web, c.URL = a, srv, srv.URL()
	waitFor(t, "IMAP up", func() bool { return a.Metrics.Live.Snapshot().IMAPUp })
	return c
}

func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects.
func client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get returns the status and body.
func get(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t testing.TB, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// field reads a hidden input's value from a page.
func field(body, name string) string {
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		return ""
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// login signs in over HTTP and returns the session's CSRF token.
func login(t testing.TB, c *http.Client, base, name, pw string) (int, string) {
	t.Helper()
	_, body := get(t, c, base+"/login")
	st, _, _ := post(t, c, base+"/login", url.Values{"csrf": {field(body, "csrf")}, "akun": {name}, "sandi": {pw}})
	if st != http.StatusSeeOther {
		return st, ""
	}
	_, body = get(t, c, base+"/")
	return st, field(body, "csrf")
}
