package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fuzzOptions never touch the disk or the environment: every variable is
// set and every password file holds a secret, so a leak is visible.
var fuzzOptions = Options{
	Env:      func(k string) (string, bool) { return "s3cret-env", k != "" },
	ReadFile: func(string) ([]byte, error) { return []byte("s3cret-file\n"), nil },
	Stat:     func(string) (os.FileInfo, error) { return nil, os.ErrNotExist },
}

func addConfigSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/bad/*.toml")
	files = append(files, "testdata/base.toml", "../../config.toml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("[calendar]\nhours = \"07.30-16.00\"\nworkdays = [\"Senin\"]\n[[calendar.holiday]]\ndate = 2026-02-30\n")
	f.Add("[calendar]\nnot_holidays = [2025-03-31]\nnational_holidays = false\n[[calendar.holiday]]\ndate = 2025-03-31T10:00:00+07:00\nname = \"x\"\n")
	f.Add("[mail.imap]\nmax_attempts = \"5\"\n[replies]\naccept_untokened = 1\n")
}

// checkProblems asserts the shape every reported problem must have: a
// message, the key it is about (a TOML syntax error may have none yet, but
// then it has its line), and no secret in what "mailflow check" prints.
func checkProblems(t *testing.T, src string, c *Config, err error) Errors {
	t.Helper()
	var errs Errors
	if err != nil && !errors.As(err, &errs) {
		t.Fatalf("error of type %T: %v", err, err)
	}
	if err != nil && len(errs) == 0 {
		t.Fatal("an error without problems")
	}
	var warns []Problem
	if c != nil {
		warns = c.Warnings
	}
	for _, p := range append(append([]Problem(nil), errs...), warns...) {
		syntax := strings.HasPrefix(p.Hint, "fix the TOML syntax")
		if p.Msg == "" || (p.Key == "" && !(syntax && p.Line > 0)) {
			t.Fatalf("problem without its key: %+v\nsource:\n%s", p, src)
		}
	}
	if out := Report("f.toml", errs, warns); strings.Contains(out, "s3cret") {
		t.Fatalf("a secret in the report:\n%s", out)
	}
	if c != nil && strings.Contains(Summary(c), "s3cret") {
		t.Fatal("a secret in the summary")
	}
	return errs
}

// FuzzConfig: any text as config.toml is either a usable config whose
// values are in range, or a list of problems each naming its key. Never a
// panic, never a secret printed.
func FuzzConfig(f *testing.F) {
	addConfigSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Parse(src, fuzzOptions)
		errs := checkProblems(t, src, c, err)
		if len(errs) > 0 {
			return
		}
		cal := c.Calendar
		if cal.Open < 0 || cal.Close > 24*60 || cal.Open >= cal.Close || cal.Loc == nil {
			t.Fatalf("calendar %d-%d %v accepted", cal.Open, cal.Close, cal.Loc)
		}
		if c.Mail.Mode != "embedded" && c.Mail.Mode != "external" {
			t.Fatalf("mode %q accepted", c.Mail.Mode)
		}
		if n := c.Mail.IMAP.MaxAttempts; n < 1 || n > 100 {
			t.Fatalf("max_attempts %d accepted", n)
		}
		for day := range cal.Holidays {
			if _, err := time.Parse("2006-01-02", day); err != nil {
				t.Fatalf("holiday key %q", day)
			}
		}
	})
}

// FuzzHours: the working hours parse to a real span of one day that reads
// back the same when written as the config writes it.
func FuzzHours(f *testing.F) {
	for _, s := range []string{"07.30-16.00", "7:30 - 16:00", "08-15", "24.00-24.59", "16.00-07.30", "07.30", "7.5-9",
		"07.30xyz-16.00", "+7-9", "-1-5", "07.60-08.00", "00.00-24.00", "1e1-12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		open, close, err := parseHours(s)
		if err != nil {
			return
		}
		if open < 0 || close > 24*60 || open >= close {
			t.Fatalf("parseHours(%q) = %d, %d", s, open, close)
		}
		w := fmt.Sprintf("%02d.%02d-%02d.%02d", open/60, open%60, close/60, close%60)
		if o2, c2, err := parseHours(w); err != nil || o2 != open || c2 != close {
			t.Fatalf("%q read as %d-%d, written %q, reads %d-%d %v", s, open, close, w, o2, c2, err)
		}
	})
}

// FuzzHolidays: a holiday on any date, with any name, in a config that
// is otherwise valid: either it is on the calendar under its name (unless
// not_holidays takes it away), or the date is refused with its key.
func FuzzHolidays(f *testing.F) {
	f.Add(2026, 3, 20, "Hari Raya Nyepi", false, true)
	f.Add(2026, 2, 30, "", true, false)
	f.Add(0, 0, 0, "x'y", false, false)
	f.Add(99999, 12, 31, "\u00a0", false, true)
	base, err := os.ReadFile("testdata/base.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, y, m, d int, name string, national, removed bool) {
		if strings.ContainsAny(name, "'\r\n\x7f") || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 && r != '\t' }) {
			return // not a TOML literal string
		}
		date := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		cal := fmt.Sprintf("[calendar]\nnational_holidays = %v\n", national)
		if removed {
			cal += "not_holidays = [" + date + "]\n"
		}
		cal += fmt.Sprintf("[[calendar.holiday]]\ndate = %s\nname = '%s'\n\n", date, name)
		src := strings.Replace(string(base), "[mail]", cal+"[mail]", 1)
		c, err := Parse(src, fuzzOptions)
		errs := checkProblems(t, src, c, err)
		if len(errs) > 0 {
			for _, p := range errs {
				if !strings.HasPrefix(p.Key, "calendar.") {
					t.Fatalf("holiday %s %q: problem %v", date, name, p)
				}
			}
			return
		}
		got, ok := c.Calendar.Holidays[date]
		want := name
		if want == "" {
			want = "Hari libur"
		}
		switch {
		case removed && ok:
			t.Fatalf("holiday %s kept though in not_holidays", date)
		case !removed && (!ok || got != want):
			t.Fatalf("holiday %s = %q, %v; want %q", date, got, ok, want)
		}
	})
}
