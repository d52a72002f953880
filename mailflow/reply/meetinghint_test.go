package reply

import (
	"strings"
	"testing"
)

// TestMeetingHintGate: the cheap word test never says no where the
// pattern says yes.
func TestMeetingHintGate(t *testing.T) {
	var cases []string
	for _, w := range meetingWordList {
		cases = append(cases, w, strings.ToUpper(w), "Rapat "+w+" ini", "x"+w+"x", strings.ReplaceAll(w, "k", "\u212a"),
			strings.ReplaceAll(w, "s", "\u017f")+".")
	}
	cases = append(cases, "", "SETUJU", "Catatan: lanjutkan ke Kepala Dinas.", "Tempat: Aula", "besok pukul 10.00")
	for _, s := range cases {
		if got, want := mayHoldMeeting(s) && meetingHint.MatchString(s), meetingHint.MatchString(s); got != want {
			t.Errorf("%q: gate %v, pattern %v", s, got, want)
		}
	}
}

func TestContainsAt(t *testing.T) {
	for _, s := range []string{"", "w", "orward", "Forwarded", "xorwarxorward", "wwwww", "or ward", "iteruskan", "diteruskan.", "teruskan"} {
		for _, c := range []struct {
			sub string
			k   int
		}{{"orward", 2}, {"iteruskan", 4}} {
			if got, want := containsAt(s, c.sub, c.k), strings.Contains(s, c.sub); got != want {
				t.Errorf("containsAt(%q, %q) = %v, want %v", s, c.sub, got, want)
			}
		}
	}
}
