package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

var hariPendek = [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}

// officeTime is a moment as the office says it: "Rab 07.30 WIB", with the
// date when it is not within the coming week.
func officeTime(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	s := fmt.Sprintf("%s %02d.%02d %s", hariPendek[t.Weekday()], t.Hour(), t.Minute(), workcal.ZoneName(t))
	if d := t.Sub(now); d < -12*time.Hour || d > 6*24*time.Hour {
		s = fmt.Sprintf("%s %d/%02d %02d.%02d %s", hariPendek[t.Weekday()], t.Day(), t.Month(), t.Hour(), t.Minute(), workcal.ZoneName(t))
	}
	return s
}

// waitReason says why a pending mail has not gone yet and when it goes.
func waitReason(o store.OutboxRow, cal *workcal.Calendar, now time.Time) string {
	loc := cal.Loc
	next := o.NextAttempt
	if o.LastError != "" {
		at := next.In(loc).Format("15:04")
		if !sameDay(next, now, loc) {
			at = officeTime(next, now, loc)
		}
		return fmt.Sprintf("retry %d at %s, last error: %s", o.Attempts+1, at, flow.Inert(o.LastError, 120))
	}
	if !next.After(now) {
		return "due now: the daemon sends it on its next pass (is \"mailflow run\" running?)"
	}
	if o.Mail.WaitsForHours() && (!cal.InHours(now) || !cal.InHours(next.Add(-time.Minute))) {
		return "menunggu jam kerja: " + officeTime(next, now, loc)
	}
	return "scheduled for " + officeTime(next, now, loc)
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	a, b = a.In(loc), b.In(loc)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// printWaiting lists the run's mail that has not gone yet, each with why.
func printWaiting(w io.Writer, out []store.OutboxRow, cal *workcal.Calendar, now time.Time) {
	for _, o := range out {
		if o.Status != store.OutPending {
			continue
		}
		var to []string
		for _, rc := range o.Mail.To {
			to = append(to, rc.Email)
		}
		step := "the run"
		if o.Step > 0 {
			step = fmt.Sprintf("step %d", o.Step)
		}
		fmt.Fprintf(w, "  WAITING %s (%s) to %s: %s\n", o.Template, step, strings.Join(to, ", "), waitReason(o, cal, now))
	}
}
