// Package idate reads the meeting date, time and place that Indonesian
// officials write in a reply: "Senin, 13 Mei 2024 pukul 09.00 WIB",
// "13/05/2024 09:00", "13-5-2024 jam 9", "besok pukul 10.00", with the
// time zones WIB, WITA and WIT.
package idate

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Meeting is a meeting read from text.
type Meeting struct {
	Start   time.Time
	Place   string
	HasTime bool // false: only a date was given (Start is midnight)
}

// maxInput bounds the work on hostile input.
const maxInput = 64 << 10

// The Indonesian time zones have no daylight saving time; fixed zones
// avoid depending on the tz database.
var (
	WIB  = time.FixedZone("WIB", 7*3600)
	WITA = time.FixedZone("WITA", 8*3600)
	WIT  = time.FixedZone("WIT", 9*3600)
)

var months = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "feb": 2, "pebruari": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "agust": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nop": 11, "nopember": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

var (
	fieldRe   = regexp.MustCompile(`(?im)^[\s*-]*(hari\s*/\s*tanggal|hari,?\s*tanggal|tanggal|tgl\.?|hari|waktu|jam|pukul|tempat|lokasi|ruang(an)?|date|time|place|venue)\s*[:=]\s*(.+)$`)
	longRe    = regexp.MustCompile(`(?i)\b(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4})\b`)
	numRe     = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b`)
	isoRe     = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	relRe     = regexp.MustCompile(`(?i)\b(hari ini|besok|lusa|today|tomorrow)\b`)
	timeRe    = regexp.MustCompile(`(?i)\b(?:pukul|pkl\.?|jam|at|waktu)\s*:?\s*(\d{1,2})(?:[.:](\d{2}))?\b|\b(\d{1,2})[.:](\d{2})\b`)
	zoneRe    = regexp.MustCompile(`\b(WIB|WITA|WIT)\b`)
	placeLine = regexp.MustCompile(`(?i)^(tempat|lokasi|ruang(an)?|place|venue)$`)
)

// ErrNoDate is returned when meeting fields are present but hold no date.
var ErrNoDate = errors.New("meeting fields without a date")

// Parse finds a meeting in text. It returns nil and no error when the text
// holds no meeting at all. now anchors relative dates ("besok"); loc is
// the default zone (WIB when nil), overridden by WIB/WITA/WIT in the text.
func Parse(text string, now time.Time, loc *time.Location) (*Meeting, error) {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	if loc == nil {
		loc = WIB
	}
	var dateText, timeText, place string
	fields := false
	for _, m := range fieldRe.FindAllStringSubmatch(text, 20) {
		key := strings.ToLower(m[1])
		val := strings.TrimSpace(m[3])
		fields = true
		switch {
		case placeLine.MatchString(key):
			if place == "" {
				place = val
			}
		case key == "waktu" || key == "jam" || key == "pukul" || key == "time":
			timeText += " pukul " + val
		default:
			dateText += " " + val
		}
	}
	if !fields {
		dateText = text
	}
	all := dateText + " " + timeText
	if z := zoneRe.FindString(all); z != "" {
		loc = map[string]*time.Location{"WIB": WIB, "WITA": WITA, "WIT": WIT}[z]
	}
	now = now.In(loc)
	y, mo, d, rest, ok := findDate(dateText, now)
	if !ok && timeText != "" {
		y, mo, d, rest, ok = findDate(all, now)
	}
	if !ok {
		if fields && (dateText != "" || timeText != "") {
			return nil, ErrNoDate
		}
		return nil, nil
	}
	hh, mm, hasTime := findTime(rest + " " + timeText)
	if hh > 23 || mm > 59 {
		return nil, errors.New("time of day out of range")
	}
	start := time.Date(y, mo, d, hh, mm, 0, 0, loc)
	if start.Day() != d {
		return nil, errors.New("no such day in that month")
	}
	return &Meeting{Start: start, Place: place, HasTime: hasTime}, nil
}

// findDate returns the first date in s and the text after it.
func findDate(s string, now time.Time) (int, time.Month, int, string, bool) {
	type cand struct {
		at      int
		y, m, d int
		end     int
		ok      bool
	}
	best := cand{at: -1}
	try := func(c cand) {
		if c.ok && (best.at < 0 || c.at < best.at) {
			best = c
		}
	}
	if m := longRe.FindStringSubmatchIndex(s); m != nil {
		mon, ok := months[strings.ToLower(s[m[4]:m[5]])]
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		try(cand{at: m[0], y: y, m: int(mon), d: d, end: m[1], ok: ok})
	}
	if m := isoRe.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		try(cand{at: m[0], y: y, m: mo, d: d, end: m[1], ok: true})
	}
	if m := numRe.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		if y < 100 {
			y += 2000
		}
		try(cand{at: m[0], y: y, m: mo, d: d, end: m[1], ok: true})
	}
	if m := relRe.FindStringSubmatchIndex(s); m != nil {
		add := map[string]int{"hari ini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}[strings.ToLower(s[m[2]:m[3]])]
		t := now.AddDate(0, 0, add)
		try(cand{at: m[0], y: t.Year(), m: int(t.Month()), d: t.Day(), end: m[1], ok: true})
	}
	if best.at < 0 || best.m < 1 || best.m > 12 || best.d < 1 || best.d > 31 || best.y < 1900 || best.y > 2200 {
		return 0, 0, 0, "", false
	}
	return best.y, time.Month(best.m), best.d, s[best.end:], true
}

// findTime returns the first time of day in s.
func findTime(s string) (int, int, bool) {
	m := timeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	h, mi := m[1], m[2]
	if h == "" {
		h, mi = m[3], m[4]
	}
	hh, _ := strconv.Atoi(h)
	mm := 0
	if mi != "" {
		mm, _ = strconv.Atoi(mi)
	}
	return hh, mm, true
}
