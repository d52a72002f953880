// Package workcal computes in working time: the office's working days and
// hours in its own zone (WIB), minus holidays. Deadlines, reminders and
// quiet hours all come from here. It reads no clock; time is an argument.
package workcal

import (
	"fmt"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// Calendar is the office's working time.
type Calendar struct {
	Loc      *time.Location
	Workdays [7]bool // indexed by time.Weekday
	Open     int     // minutes after midnight, e.g. 7*60+30
	Close    int     // e.g. 16*60
	Holidays map[string]string
	// DaysPerWeek is how many working days "1 minggu" means (default 5);
	// DaysPerHari how many "1 hari" means (default 1).
	DaysPerWeek int
	DaysPerHari int
}

// Key formats a date as the Holidays map key.
func Key(t time.Time) string { return t.Format("2006-01-02") }

// Holiday returns the holiday's name when t's date (in the office zone) is one.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	n, ok := c.Holidays[Key(t.In(c.Loc))]
	return n, ok
}

// IsWorkingDay reports whether t's date is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	t = t.In(c.Loc)
	if !c.Workdays[t.Weekday()] {
		return false
	}
	_, hol := c.Holidays[Key(t)]
	return !hol
}

func (c *Calendar) at(day time.Time, minutes int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, minutes, 0, 0, c.Loc)
}

func (c *Calendar) nextDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.Loc)
}

// InHours reports whether t is inside working hours on a working day.
func (c *Calendar) InHours(t time.Time) bool {
	t = t.In(c.Loc)
	m := t.Hour()*60 + t.Minute()
	return c.IsWorkingDay(t) && m >= c.Open && m < c.Close
}

// NextOpen returns t if it is inside working hours, else the next opening.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.In(c.Loc)
	if c.InHours(t) {
		return t
	}
	day := t
	if t.Hour()*60+t.Minute() >= c.Close || !c.IsWorkingDay(t) {
		day = c.nextDay(t)
	}
	for i := 0; i < 3660 && !c.IsWorkingDay(day); i++ {
		day = c.nextDay(day)
	}
	return c.at(day, c.Open)
}

// AddMinutes adds n working minutes to t.
func (c *Calendar) AddMinutes(t time.Time, n int) time.Time {
	t = c.NextOpen(t)
	left := time.Duration(n) * time.Minute
	for i := 0; i < 100000; i++ {
		end := c.at(t, c.Close)
		if avail := end.Sub(t); left <= avail {
			return t.Add(left)
		} else {
			left -= avail
		}
		t = c.NextOpen(end)
	}
	return t
}

// AddDays adds n working days to t, keeping its time of day. A start
// outside working hours counts from the next opening.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	t = c.NextOpen(t)
	clock := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
	day := t
	for i := 0; i < n; i++ {
		day = c.nextDay(day)
		for j := 0; j < 3660 && !c.IsWorkingDay(day); j++ {
			day = c.nextDay(day)
		}
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.Loc).Add(clock)
}

// Add adds a Mutu Baku time to t.
func (c *Calendar) Add(t time.Time, w sop.Waktu) time.Time {
	switch w.Unit {
	case sop.Minute:
		return c.AddMinutes(t, w.N)
	case sop.Day:
		return c.AddDays(t, w.N*max(c.DaysPerHari, 1))
	case sop.Week:
		return c.AddDays(t, w.N*c.daysPerWeek())
	}
	panic(fmt.Sprintf("workcal: unknown unit %q", w.Unit)) // config validation rejects it first
}

func (c *Calendar) daysPerWeek() int {
	if c.DaysPerWeek > 0 {
		return c.DaysPerWeek
	}
	return 5
}

// WorkingMinutes counts the working minutes between a and b (0 if b <= a).
func (c *Calendar) WorkingMinutes(a, b time.Time) int {
	if !b.After(a) {
		return 0
	}
	total := time.Duration(0)
	t := c.NextOpen(a)
	for i := 0; i < 100000 && t.Before(b); i++ {
		end := c.at(t, c.Close)
		if b.Before(end) {
			end = b
		}
		total += end.Sub(t)
		t = c.NextOpen(c.at(t, c.Close))
	}
	return int(total / time.Minute)
}

// PrevWorkingDay returns the opening of the last working day before t's date.
func (c *Calendar) PrevWorkingDay(t time.Time) time.Time {
	t = t.In(c.Loc)
	day := time.Date(t.Year(), t.Month(), t.Day()-1, 0, 0, 0, 0, c.Loc)
	for i := 0; i < 3660 && !c.IsWorkingDay(day); i++ {
		day = time.Date(day.Year(), day.Month(), day.Day()-1, 0, 0, 0, 0, c.Loc)
	}
	return c.at(day, c.Open)
}

// MinutesPerDay is the length of a working day.
func (c *Calendar) MinutesPerDay() int { return c.Close - c.Open }
