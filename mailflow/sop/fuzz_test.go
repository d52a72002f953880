package sop

import (
	"strings"
	"testing"
)

// FuzzParseWaktu: any text either parses to a positive count of a known
// unit that reads back the same from its own words (String, and the TOML
// text form), or fails with a message; never a panic, never a zero or
// negative duration, never "jam" taken as another unit.
func FuzzParseWaktu(f *testing.F) {
	for _, s := range []string{"10 menit", "2 hari", "1 minggu", "1 pekan", "3 days", " 5\tHARI ", "0 hari", "-1 hari",
		"1 jam", "10000 menit", "10001 menit", "1e3 hari", "+7 hari", "0x10 hari", "٣ hari", "1 hari lagi", "", "hari"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWaktu(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseWaktu(%q): empty error", s)
			}
			if w != (Waktu{}) {
				t.Fatalf("ParseWaktu(%q) = %+v with error %v", s, w, err)
			}
			return
		}
		if w.N < 1 || w.N > 10000 {
			t.Fatalf("ParseWaktu(%q) = %+v: count out of range", s, w)
		}
		switch w.Unit {
		case Minute, Day, Week:
		default:
			t.Fatalf("ParseWaktu(%q) = %+v: unknown unit", s, w)
		}
		if f := strings.Fields(strings.ToLower(s)); len(f) == 2 && (f[1] == "jam" || f[1] == "hour" || f[1] == "hours") {
			t.Fatalf("ParseWaktu(%q) = %+v: hours must be refused", s, w)
		}
		back, err := ParseWaktu(w.String())
		if err != nil || back != w {
			t.Fatalf("%+v written as %q reads %+v, %v", w, w.String(), back, err)
		}
		text, _ := w.MarshalText()
		var u Waktu
		if err := u.UnmarshalText(text); err != nil || u != w {
			t.Fatalf("%+v as text %q reads %+v, %v", w, text, u, err)
		}
	})
}
