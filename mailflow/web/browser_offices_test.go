package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOffices drives headless Chromium through a two-office
// deployment's console: an account granted one office sees only it in
// Daftar Kantor and opens its run; an all-offices account sees both.
func TestBrowserOffices(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		t.Skip("no chromium found (apt-get install chromium)")
	}
	shots := os.Getenv("MAILFLOW_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	dep := startDeployment(t, []string{"bappeda", "dinsos"}, map[string][]string{"rina": {"dinsos"}, "kominfo": {"*"}}, "dinsos", false)
	if _, err := dep.Offices["bappeda"].Engine.Start(context.Background(), "lakip", "LAKIP Bappeda 2025", "uji", "", nil, nil); err != nil {
		t.Fatal(err)
	}

	ctx, do := startBrowser(t, bin, 1100, 700)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	listed := func() []string {
		t.Helper()
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#offices tr[data-office]')).map(r => r.dataset.office)`))
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	loginAs := func(name string) {
		t.Helper()
		do("login "+name, chromedp.Navigate(dep.URL+"/login"), chromedp.WaitVisible(css(`input[name=akun]`)),
			chromedp.SendKeys(css(`input[name=akun]`), name), chromedp.SendKeys(css(`input[name=sandi]`), testPassword),
			chromedp.Click(css(`form button`)), chromedp.WaitVisible(css(`#offices`)))
	}

	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	loginAs("rina")
	if got := strings.Join(listed(), ","); got != "dinsos" {
		t.Fatalf("rina's offices: %q", got)
	}
	do("open the office", chromedp.Click(css(`tr[data-office=dinsos] a`)), chromedp.WaitVisible(css(`#runs-done`)))
	shot("console-office-runs.png")
	do("open the run", chromedp.Click(css(`#runs-done a`)), chromedp.WaitVisible(css(`svg.timeline`)))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/kantor/dinsos/run/"+dep.Run) {
		t.Fatalf("run page at %q (%v)", loc, err)
	}
	office, err := chromedp.Run(ctx, chromedp.Text(css(`nav .office`)))
	if err != nil || office != "K-DINSOS" {
		t.Fatalf("the header names office %q (%v)", office, err)
	}
	// Typing another office's address gives the same page as a missing one.
	do("another office", chromedp.Navigate(dep.URL+"/kantor/bappeda/"), chromedp.WaitVisible(css(`p.error`)))
	if got, _ := chromedp.Run(ctx, chromedp.Text(css(`main`))); strings.Contains(got, "Bappeda") || !strings.Contains(got, "tidak ditemukan") {
		t.Fatalf("bappeda for rina:\n%s", got)
	}
	do("logout", chromedp.Click(css(`form.logout button`)), chromedp.WaitVisible(css(`input[name=akun]`)))

	loginAs("kominfo")
	if got := strings.Join(listed(), ","); got != "bappeda,dinsos" {
		t.Fatalf("kominfo's offices: %q", got)
	}
	open, err := chromedp.Run(ctx, chromedp.Text(css(`tr[data-office=bappeda] td.open`)))
	if err != nil || open != "1" {
		t.Fatalf("bappeda's open runs: %q (%v)", open, err)
	}
	shot("console-offices.png")
	// On a phone the list does not scroll sideways.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(dep.URL+"/"), chromedp.WaitVisible(css(`#offices`)))
	over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil || over > 0 {
		t.Errorf("on a phone Daftar Kantor is %d px too wide (%v)", over, err)
	}
	do("desktop", chromedp.ResetViewport())
	do("bappeda's runs", chromedp.Click(css(`tr[data-office=bappeda] a`)), chromedp.WaitVisible(css(`#runs-open`)))
	if got, _ := chromedp.Run(ctx, chromedp.Text(css(`#runs-open`))); !strings.Contains(got, "LAKIP Bappeda 2025") {
		t.Fatalf("bappeda's runs:\n%s", got)
	}
}
