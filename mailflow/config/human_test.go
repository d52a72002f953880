package config

import "testing"

func TestDistanceAndSuggest(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"timzone", "timezone", 1}, {"tiemzone", "timezone", 1}, {"emial", "email", 1}, {"", "abc", 3}, {"waktu", "waktu", 0}} {
		if got := distance(c.a, c.b); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	for key, want := range map[string]string{
		"office.timzone":          "timezone",
		"calendar.timezone":       "office.timezone (in its own table)",
		"people.emial":            "email",
		"sop.step.wakttu":         "waktu",
		"roles.kepala.superiour":  "superior",
		"mail.smtp.sent_foldr":    "sent_folder",
		"mail.embeded_smtp":       "embedded_smtp",
		"office.qqqqqqqqqqqqqqqq": "",
	} {
		if got := suggest(key); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

// Every key humanKey renames keeps its field; a position past the end
// still reads as a 1-based number, never as an index.
func TestHumanKey(t *testing.T) {
	f := &fileConfig{People: []filePerson{{Name: "Rina"}, {Email: "x@y.id"}, {}},
		SOP: []fileSOP{{ID: "lakip", Step: []fileStep{{Number: 1}, {Number: 11}, {}}}}}
	for in, want := range map[string]string{
		"people[0].email":            `people "Rina", email`,
		"people[1].name":             `people "x@y.id", name`,
		"people[2].name":             `people #3, name`,
		"people[9].name":             `people #10, name`,
		"sop[0].step[1].waktu":       `sop "lakip", step 11, waktu`,
		"sop[0].step[2].role":        `sop "lakip", step #3, role`,
		"also used by people[0] (x)": `also used by people "Rina" (x)`,
		"calendar.workdays[2]":       "calendar.workdays[2]",
	} {
		if got := humanKey(in, f); got != want {
			t.Errorf("humanKey(%q) = %q, want %q", in, got, want)
		}
	}
}
