package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// findChromium returns the browser to drive; the test skips only when
// none is installed (.ci/console.sh installs Debian's chromium).
func findChromium() string {
	if p := os.Getenv("MAILFLOW_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts headless Chromium for the test (stopped when it
// ends) and returns a context bounded at 90 s and do, which runs steps and
// fails the test with what on error.
func startBrowser(t *testing.T, bin string, w, h int) (context.Context, func(what string, steps ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(w, h), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser on ctx (no timeout: it would stop the browser)
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	return ctx, do
}

// TestBrowser drives headless Chromium through the console: login, the
// runs list, a run's page with its timeline, the outbox with a failed
// mail sent again, the health page, and a POST without its CSRF token.
// Screenshots go to MAILFLOW_SCREENSHOTS (default: the test's temp dir);
// MAILFLOW_SCREENSHOTS=../../docs refreshes the README's.
func TestBrowser(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		t.Skip("no chromium found (apt-get install chromium)")
	}
	shots := os.Getenv("MAILFLOW_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	c := startConsole(t, true)

	// A mail that fails for good: the next submission is refused 550.
	// Whichever mail takes it (the demo's store may still send some) is
	// the failed mail of the outbox.
	failedBefore := map[int64]bool{}
	failedRows := func() (ids []int64) {
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			rows, _ := tx.Outbox("")
			for _, r := range rows {
				if r.Status == store.OutFailed {
					ids = append(ids, r.ID)
				}
			}
			return nil
		})
		return ids
	}
	for _, id := range failedRows() {
		failedBefore[id] = true
	}
	// Let mail the demo left queued go first, so that the fault strikes
	// the new run's assignment.
	waitFor(t, "the outbox to drain", func() bool {
		var due []store.OutboxRow
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			due, _ = tx.DueMail(time.Now(), 10)
			return nil
		})
		return len(due) == 0
	})
	c.App.Server.Faults().FailSMTP(550, 1)
	res, err := c.App.Engine.Start(context.Background(), "lakip", "LAKIP Tahun 2025", "web:uji", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var failedID int64
	waitFor(t, "a mail to fail", func() bool {
		for _, id := range failedRows() {
			if !failedBefore[id] {
				failedID = id
			}
		}
		return failedID != 0
	})
	var failedRun string
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		r, err := tx.MailByID(failedID)
		failedRun = r.RunID
		return err
	})

	ctx, do := startBrowser(t, bin, 1100, 900)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shot := func(name string) {
		t.Helper()
		// The viewport (1100×900), as PNG: what a reader sees first.
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("login", chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(css(`input[name=akun]`)),
		chromedp.SendKeys(css(`input[name=akun]`), testAccount), chromedp.SendKeys(css(`input[name=sandi]`), testPassword),
		chromedp.Click(css(`form button`)), chromedp.WaitVisible(css(`#runs-open`)))
	if got := text(`main`); !strings.Contains(got, "LAKIP Tahun 2025") || !strings.Contains(got, "Proses selesai") {
		t.Fatalf("runs list:\n%s", got)
	}
	shot("console-runs.png")

	// The demo's run: every step has a bar; 7 and 8 were done twice after
	// the Sekretaris rejected the first draft.
	do("run page", chromedp.Navigate(c.URL+"/run/"+c.Run), chromedp.WaitVisible(css(`svg.timeline`)))
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('svg.timeline rect.bar')).map(b => b.dataset.step + 'r' + b.dataset.round)`))
	if err != nil {
		t.Fatal(err)
	}
	shot("console-run-top.png")
	svg, err := chromedp.Run(ctx, chromedp.Screenshot(css(`svg.timeline`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots, "console-run.png"), svg, 0o644); err != nil {
		t.Fatal(err)
	}
	perStep := map[string]int{}
	for _, b := range bars {
		perStep[strings.SplitN(b, "r", 2)[0]]++
	}
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13"} {
		if perStep[n] == 0 {
			t.Errorf("step %s has no bar (bars %v)", n, bars)
		}
	}
	for _, n := range []string{"7", "8"} {
		if perStep[n] != 2 {
			t.Errorf("step %s: %d bars, want one per round (2) after the revision; bars %v", n, perStep[n], bars)
		}
	}

	// The outbox shows the failed mail; "kirim ulang sekarang" sends it.
	row := fmt.Sprintf(`tr[data-id="%d"]`, failedID)
	do("outbox", chromedp.Navigate(c.URL+"/outbox"), chromedp.WaitVisible(css(row)))
	if got := text(row + ` .status`); got != "gagal" {
		t.Fatalf("failed mail shows %q", got)
	}
	shot("console-outbox.png")
	do("retry", chromedp.Click(css(row+` button.retry`)), chromedp.WaitVisible(css(`p.flash`)))
	waitFor(t, "the mail sent again", func() bool {
		var st string
		c.App.Store.View(context.Background(), func(tx *store.Tx) error {
			r, err := tx.MailByID(failedID)
			st = r.Status
			return err
		})
		return st == store.OutSent
	})
	do("outbox after", chromedp.Navigate(c.URL+"/outbox"), chromedp.WaitVisible(css(`main h1`)))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('tr[data-id="%d"]').length`, failedID)))
	if err != nil || n != 0 {
		t.Fatalf("the sent mail is still listed in the outbox (%d, %v)", n, err)
	}
	if failedRun != "" {
		do("run shows it sent", chromedp.Navigate(c.URL+"/run/"+failedRun), chromedp.WaitVisible(css(`#mail`)))
		if got := text(`#mail`); !strings.Contains(got, "terkirim") {
			t.Fatalf("run's mail list:\n%s", got)
		}
	}
	_ = res

	do("health", chromedp.Navigate(c.URL+"/health"), chromedp.WaitVisible(css(`#imap`)))
	got := text(`main`)
	shot("console-health.png")
	for _, want := range []string{"tersambung", "IDLE", "UIDVALIDITY", "siap"} {
		if !strings.Contains(got, want) {
			t.Errorf("health page lacks %q:\n%s", want, got)
		}
	}

	// On a phone (390 px wide) no page scrolls sideways: wide tables
	// scroll inside their own box.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []string{"/", "/run/" + c.Run, "/outbox", "/health"} {
		do("phone "+p, chromedp.Navigate(c.URL+p), chromedp.WaitVisible(css(`main h1`)))
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if err != nil || over > 0 {
			t.Errorf("on a phone %s is %d px too wide (%v)", p, over, err)
		}
		if p == "/run/"+c.Run {
			shot("console-run-phone.png")
		}
	}
	do("desktop", chromedp.ResetViewport())

	// A form whose CSRF token was removed is refused, and nothing changes.
	do("csrf-less POST", chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(css(`form[action="/start"]`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('form[action="/start"] input[name=csrf]').remove(); true`)); err != nil {
		t.Fatal(err)
	}
	do("submit", chromedp.SendKeys(css(`input[name=judul]`), "Tanpa token"),
		chromedp.Click(css(`form[action="/start"] button`)), chromedp.WaitVisible(css(`p.error`)))
	if got := text(`p.error`); !strings.Contains(got, "token keamanan") {
		t.Fatalf("CSRF-less POST: %q", got)
	}
	c.App.Store.View(context.Background(), func(tx *store.Tx) error {
		runs, _ := tx.Runs("")
		for _, r := range runs {
			if r.Title == "Tanpa token" {
				t.Errorf("a POST without its CSRF token started run %s", r.ID)
			}
		}
		return nil
	})
	t.Logf("screenshots in %s", shots)
}
