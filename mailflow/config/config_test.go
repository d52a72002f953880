package config_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

var update = flag.Bool("update", false, "rewrite the .expected files")

// env sets every password variable except UJI_TIDAK_ADA.
func env(k string) (string, bool) {
	if k == "UJI_TIDAK_ADA" {
		return "", false
	}
	return "s3cret-" + k, true
}

func TestSampleConfigIsValid(t *testing.T) {
	c, err := config.Load("../../config.toml", config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := c.Office.SOP("lakip")
	if !ok || len(d.Steps) != 12 || d.Steps[8].Number != 11 || !d.Steps[11].AfterMeeting {
		t.Fatalf("LAKIP steps: %+v", d)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Msg, "9–10") {
		t.Fatalf("want exactly the 9–10 gap warning, got %v", c.Warnings)
	}
	if c.Calendar.Loc.String() != "Asia/Jakarta" {
		t.Error("timezone")
	}
	if _, hol := c.Calendar.Holiday(time.Date(2025, 3, 31, 12, 0, 0, 0, c.Calendar.Loc)); !hol {
		t.Error("Idul Fitri 2025 is not a holiday")
	}
}

func TestSecondSOPLoads(t *testing.T) {
	c, err := config.Load("../flow/testdata/cuti.toml", config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Office.SOP("cuti"); !ok {
		t.Fatal("cuti SOP missing")
	}
}

// TestBadConfigs keeps each bad config beside the output "mailflow check"
// prints for it.
func TestBadConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.toml")
	if len(files) < 8 {
		t.Fatalf("only %d bad configs", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := config.Load(f, config.Options{Env: env})
			var errs config.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatal(err)
			}
			var warns []config.Problem
			if c != nil {
				warns = c.Warnings
			}
			got := config.Report(f, errs, warns)
			if strings.Contains(got, "rahasia") || strings.Contains(got, "s3cret") {
				t.Fatalf("a secret leaked into the output:\n%s", got)
			}
			exp := strings.TrimSuffix(f, ".toml") + ".expected"
			if *update {
				os.WriteFile(exp, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(exp)
			if err != nil {
				t.Fatalf("%v (go test -update creates it)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if strings.HasPrefix(filepath.Base(f), "gap_warning") != (len(errs) == 0) {
				t.Errorf("errors: %d", len(errs))
			}
		})
	}
}

func TestSecretRedacted(t *testing.T) {
	c, err := config.Load("testdata/base.toml", config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.IMAP.Password.Reveal() != "s3cret-UJI_IMAP_PASSWORD" {
		t.Fatal("password_env not read")
	}
	s := config.Summary(c)
	if strings.Contains(s, "s3cret") || !strings.Contains(s, "<redacted>") {
		t.Fatalf("summary: %s", s)
	}
}

func TestPasswordFile(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("from-file\n"), 0o600)
	src, _ := os.ReadFile("testdata/base.toml")
	s := strings.Replace(string(src), `password_env = "UJI_IMAP_PASSWORD"`, `password_file = "`+pw+`"`, 1)
	c, err := config.Parse(s, config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.IMAP.Password.Reveal() != "from-file" {
		t.Fatalf("password_file: %q", c.Mail.IMAP.Password.Reveal())
	}
}

// TestRetryAndUntokenedDefaults: untokened mail is refused and a message
// is tried 5 times unless the config says otherwise.
func TestRetryAndUntokenedDefaults(t *testing.T) {
	src, _ := os.ReadFile("testdata/base.toml")
	c, err := config.Parse(string(src), config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if c.Replies.AcceptUntokened || c.Mail.IMAP.MaxAttempts != config.DefaultMaxAttempts {
		t.Errorf("defaults: accept_untokened %v, max_attempts %d", c.Replies.AcceptUntokened, c.Mail.IMAP.MaxAttempts)
	}
	s := strings.Replace(string(src), `password_env = "UJI_IMAP_PASSWORD"`, "password_env = \"UJI_IMAP_PASSWORD\"\nmax_attempts = 9", 1)
	s = strings.Replace(s, "[mail]", "[replies]\naccept_untokened = true\n\n[mail]", 1)
	if c, err = config.Parse(s, config.Options{Env: env}); err != nil {
		t.Fatal(err)
	}
	if !c.Replies.AcceptUntokened || c.Mail.IMAP.MaxAttempts != 9 {
		t.Errorf("set: accept_untokened %v, max_attempts %d", c.Replies.AcceptUntokened, c.Mail.IMAP.MaxAttempts)
	}
	for _, n := range []string{"-1", "101"} {
		bad := strings.Replace(s, "max_attempts = 9", "max_attempts = "+n, 1)
		_, err := config.Parse(bad, config.Options{Env: env})
		var errs config.Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Key != "mail.imap.max_attempts" {
			t.Errorf("max_attempts = %s: %v", n, err)
		}
	}
}

// TestPasswordFileMode: a password file others can read is reported, with
// its key; one only its owner reads is not.
func TestPasswordFileMode(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("from-file\n"), 0o600)
	src, _ := os.ReadFile("testdata/base.toml")
	s := strings.Replace(string(src), `password_env = "UJI_IMAP_PASSWORD"`, `password_file = "`+pw+`"`, 1)
	for _, mode := range []os.FileMode{0o600, 0o640, 0o644, 0o604} {
		os.Chmod(pw, mode)
		c, err := config.Parse(s, config.Options{Env: env})
		if err != nil {
			t.Fatal(err)
		}
		var warned []string
		for _, w := range c.Warnings {
			if w.Key == "mail.imap.password_file" {
				warned = append(warned, w.String())
			}
		}
		if (mode == 0o600) != (len(warned) == 0) {
			t.Errorf("mode %04o: warnings %q", mode, warned)
		}
		for _, w := range warned {
			if strings.Contains(w, "from-file") || !strings.Contains(w, "chmod 600") {
				t.Errorf("mode %04o: %s", mode, w)
			}
		}
	}
}

func TestAcceptUntokenedNeedsAuth(t *testing.T) {
	src, _ := os.ReadFile("../../config.toml")
	for _, c := range []struct {
		auth string
		warn bool
	}{{"none", true}, {"dmarc", false}} {
		s := strings.Replace(string(src), `require_auth = "dmarc"`, `require_auth = "`+c.auth+`"`, 1)
		s = strings.Replace(s, "accept_untokened = false", "accept_untokened = true", 1)
		cfg, err := config.Parse(s, config.Options{Env: env})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, w := range cfg.Warnings {
			got = got || w.Key == "replies.accept_untokened"
		}
		if got != c.warn || !cfg.Replies.AcceptUntokened {
			t.Errorf("require_auth %s: warning %v, want %v", c.auth, got, c.warn)
		}
	}
}
