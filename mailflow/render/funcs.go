package render

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// funcs are the template functions. Times are shown in loc; with loc nil
// (at parse time) they keep their own zone.
func (r *Renderer) funcs(loc *time.Location) map[string]any {
	in := func(t time.Time) time.Time {
		if loc != nil {
			return t.In(loc)
		}
		return t
	}
	officeName := ""
	if r.opt.Office != nil {
		officeName = r.opt.Office.Name
	}
	m := map[string]any{
		// "Senin, 6 Mei 2024 pukul 09.00 WIB"
		"waktu": func(t time.Time) string { return orDash(t, func(t time.Time) string { return workcal.Format(in(t)) }) },
		// "Senin, 6 Mei 2024"
		"tanggal": func(t time.Time) string { return orDash(t, func(t time.Time) string { return workcal.Tanggal(in(t)) }) },
		// "09.00 WIB"
		"pukul": func(t time.Time) string { return orDash(t, func(t time.Time) string { return workcal.Pukul(in(t)) }) },
		// "06/05/2024 09.00", for tables
		"singkat": func(t time.Time) string { return orDash(t, func(t time.Time) string { return workcal.Short(in(t)) }) },
		// working minutes as "1 hari 2 jam 5 menit"
		"durasi": func(min int) string { return workcal.Durasi(min, r.opt.DayMinutes) },
		"ukuran": ukuran,
		"nama":   r.name,
		"kantor": func() string { return officeName },
		"pad":    pad,
		"inc":    func(i int) int { return i + 1 },
		"dec":    func(i int) int { return i - 1 },
		"trimdot": func(s string) string {
			return strings.TrimRight(strings.TrimSpace(s), ".")
		},
		// inert shows a stranger's text (a quarantined mail's From,
		// Subject, error) on one line, without controls or bidi overrides.
		"inert":     func(s string) string { return flow.Inert(s, 500) },
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
		"list":      func(v ...any) []any { return v },
		"count": func(atts []flow.Attendee, partstat string) int {
			n := 0
			for _, a := range atts {
				if strings.EqualFold(a.PartStat, partstat) {
					n++
				}
			}
			return n
		},
		// include is rebound per render to the text set being executed.
		"include": func(string, any) (string, error) { return "", nil },
	}
	for k, f := range r.naskahFuncs(loc) {
		m[k] = f
	}
	return m
}

func orDash(t time.Time, f func(time.Time) string) string {
	if t.IsZero() {
		return "-"
	}
	return f(t)
}

// name resolves a note author's address to their name.
func (r *Renderer) name(email string) string {
	if r.opt.Office != nil {
		if p, ok := r.opt.Office.Person(email); ok {
			return p.Name
		}
	}
	return email
}

// pad right-pads s with spaces to n characters (runes), for text tables.
func pad(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}

// ukuran formats a size the Indonesian way: "kurang dari 1 KB", "12,4 KB",
// "3,1 MB" ("B" alone reads as English to an official).
func ukuran(n int64) string {
	switch {
	case n < 1024:
		return "kurang dari 1 KB"
	case n < 1024*1024:
		return strings.Replace(fmt.Sprintf("%.1f KB", float64(n)/1024), ".", ",", 1)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1024*1024)), ".", ",", 1)
}
