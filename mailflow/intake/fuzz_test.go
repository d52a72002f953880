package intake

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// refWord is the specification containsWord implements: w, case-folded,
// with no letter or digit on either side.
func refWord(s, w string) bool {
	w = strings.ToLower(strings.ToValidUTF8(strings.TrimSpace(w), "\uFFFD"))
	if w == "" {
		return false
	}
	s = strings.ToLower(strings.ToValidUTF8(s, "\uFFFD"))
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(w) + `($|[^\pL\pN])`).MatchString(s)
}

// FuzzSubjectMatch checks the trigger's subject matching against its
// specification, and that a full match always holds every required word.
func FuzzSubjectMatch(f *testing.F) {
	for _, c := range [][3]string{
		{"Disposisi: Penyusunan LAKIP Tahun 2023", "LAKIP", "disposisi"},
		{"Re: LAKIPku", "LAKIP", "disposisi"},
		{"disposisi-lakip", "lakip", "DISPOSISI"},
		{"ÄLAKIP lakip", "lakip", "x"},
		{"İstanbul LAKIP", "LAKIP", "i̇stanbul"},
		{"", "", ""},
	} {
		f.Add(c[0], c[1], c[2], "Mohon segera.")
	}
	f.Fuzz(func(t *testing.T, subject, all, anyw, body string) {
		if len(subject)+len(body) > 4096 || len(all) > 64 || len(anyw) > 64 {
			return
		}
		if got, want := containsWord(subject, all), refWord(subject, all); got != want {
			t.Fatalf("containsWord(%q, %q) = %v, spec says %v", subject, all, got, want)
		}
		d := &sop.SOP{Trigger: sop.Trigger{SubjectAll: []string{all}, SubjectAny: []string{anyw}}}
		m := subjectMatches(d, subject, body)
		if m == matchFull && !refWord(subject, all) {
			t.Fatalf("full match of %q without the required word %q", subject, all)
		}
		if m == matchFull && !refWord(subject, anyw) && !refWord(body, anyw) {
			t.Fatalf("full match of %q / %q without any of %q", subject, body, anyw)
		}
	})
}
