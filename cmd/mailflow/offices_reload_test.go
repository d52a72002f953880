package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunOfficesReload: SIGHUP in directory mode checks the whole
// directory, rebuilds only the office whose file changed (the other is
// not touched), applies _console.toml's grants at once, logs out a
// session whose account was removed, and refuses a broken file while
// everything keeps running as it was.
func TestRunOfficesReload(t *testing.T) {
	var entry strings.Builder
	if rc := runPasswd([]string{"-offices", "dinsos", "rina"}, strings.NewReader("kata-sandi-panjang\n"), &entry, io.Discard); rc != 0 {
		t.Fatal("passwd")
	}
	const head = "[web]\nlisten = \"127.0.0.1:0\"\n\n"
	dir := officesDir(t, head+entry.String())
	hup := make(chan struct{}, 1)
	dirDone := make(chan int, 4)
	officeDone := make(chan string, 4)
	base := startOffices(t, dir, hup, func(dp *deployment) {
		dp.reloaded = func(n int) { dirDone <- n }
		dp.officeReloaded = func(id string, applied bool) {
			if applied {
				officeDone <- id
			} else {
				officeDone <- id + " refused"
			}
		}
	})
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(path string) string {
		t.Helper()
		resp, err := hc.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Request.URL.Path + "\n" + string(b)
	}
	login := func() string {
		t.Helper()
		page := get("/login")
		tok := strings.SplitN(strings.SplitN(page, `name="csrf" value="`, 2)[1], `"`, 2)[0]
		resp, err := hc.PostForm(base+"/login", map[string][]string{"csrf": {tok}, "akun": {"rina"}, "sandi": {"kata-sandi-panjang"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	reload := func(wantDir int, wantOffices ...string) {
		t.Helper()
		hup <- struct{}{}
		select {
		case n := <-dirDone:
			if n != wantDir {
				t.Fatalf("reload told %d offices, want %d", n, wantDir)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no reload")
		}
		for _, want := range wantOffices {
			select {
			case got := <-officeDone:
				if got != want {
					t.Fatalf("office reload %q, want %q", got, want)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("office %s not reloaded", want)
			}
		}
		select {
		case got := <-officeDone:
			t.Fatalf("office %s reloaded too", got)
		case <-time.After(300 * time.Millisecond):
		}
	}
	if page := login(); !strings.Contains(page, "Kantor dinsos") || strings.Contains(page, `data-office="bappeda"`) {
		t.Fatalf("rina's offices before the reload:\n%s", page)
	}

	// One office's file changes: only it is rebuilt, and the console shows it.
	p := filepath.Join(dir, "dinsos.toml")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), `name = "Kantor dinsos"`, `name = "Dinas Sosial PMD"`, 1)), 0o600)
	reload(1, "dinsos")
	if page := get("/"); !strings.Contains(page, "Dinas Sosial PMD") {
		t.Fatalf("the reloaded office's name is not on the list:\n%s", page)
	}

	// A grant changes: at once, nothing is rebuilt.
	os.WriteFile(filepath.Join(dir, "_console.toml"), []byte(head+strings.Replace(entry.String(), `["dinsos"]`, `["*"]`, 1)), 0o600)
	reload(0)
	if page := get("/"); !strings.Contains(page, `data-office="bappeda"`) {
		t.Fatalf("the new grant is not applied:\n%s", page)
	}

	// A broken office file: refused, everything runs as it was.
	bp := filepath.Join(dir, "bappeda.toml")
	orig, _ := os.ReadFile(bp)
	os.WriteFile(bp, []byte("[office\n"), 0o600)
	reload(-1)
	if page := get("/"); !strings.Contains(page, `data-office="bappeda"`) || !strings.Contains(page, "Dinas Sosial PMD") {
		t.Fatalf("after a refused reload:\n%s", page)
	}

	// The file is back as it was (nothing to rebuild) and rina's account
	// is gone: her session ends.
	os.WriteFile(bp, orig, 0o600)
	os.WriteFile(filepath.Join(dir, "_console.toml"), []byte(head+strings.Replace(entry.String(), `name = "rina"`, `name = "kominfo"`, 1)), 0o600)
	reload(0)
	if page := get("/"); !strings.HasPrefix(page, "/login\n") {
		t.Fatalf("a removed account's session still works:\n%.300s", page)
	}
}
