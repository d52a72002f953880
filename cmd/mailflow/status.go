package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

func cmdStatus(args []string) int { return runStatus(args, os.Stdout, os.Stderr, time.Now) }

func runStatus(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	all := fs.Bool("all", false, "list finished runs too")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	cfg, st, ok := c.openExisting("status", stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	err = st.View(context.Background(), func(tx *store.Tx) error {
		if len(pos) == 0 {
			if err := listRuns(tx, stdout, *all, cfg.Calendar.Loc); err != nil {
				return err
			}
			return listQuarantine(tx, stdout, cfg.Calendar.Loc)
		}
		run, err := findRun(tx, pos[0])
		if err != nil {
			return err
		}
		return printStatus(tx, stdout, cfg, run, now())
	})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow status: %v\n", err)
		return 1
	}
	return 0
}

// findRun accepts a run ID or its token.
func findRun(tx *store.Tx, id string) (*flow.Run, error) {
	r, err := tx.LoadRun(id)
	if err == nil {
		return r, nil
	}
	if r, err2 := tx.RunByToken(id); err2 == nil {
		return r, nil
	}
	return nil, fmt.Errorf("%w; \"mailflow status\" lists the runs", err)
}

func listRuns(tx *store.Tx, w io.Writer, all bool, loc *time.Location) error {
	status := flow.RunActive
	if all {
		status = ""
	}
	runs, err := tx.Runs(status)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		fmt.Fprintln(w, "no open runs (mailflow start -title \"...\" starts one; -all lists finished ones)")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSOP\tTITLE\tSTATUS\tEVENTS\tSTARTED")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.SOP, r.Title, r.Status, r.Seq, r.Created.In(loc).Format("2006-01-02 15:04 ")+workcal.ZoneName(r.Created.In(loc)))
	}
	return tw.Flush()
}

func short(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("01-02 15:04")
}

func printStatus(tx *store.Tx, w io.Writer, cfg *config.Config, r *flow.Run, now time.Time) error {
	env := envOf(cfg)
	d, _ := cfg.Office.SOP(r.SOP)
	loc := cfg.Calendar.Loc
	fmt.Fprintf(w, "run %s %q  %s %s  %s\n", r.ID, r.Title, d.Number, d.ID, r.Status)
	fmt.Fprintf(w, "started %s by %s", r.StartedAt.In(loc).Format("2006-01-02 15:04 MST"), r.StartedBy)
	if !r.FinishedAt.IsZero() {
		fmt.Fprintf(w, ", finished %s", r.FinishedAt.In(loc).Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintf(w, "; revisions %d; times in %s\n\n", r.Revisions, loc)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tKEGIATAN\tWHO\tSINCE\tDUE\tSTATE\tTOOK/MUTU BAKU")
	for _, row := range flow.StatusRows(env, r, now) {
		state := row.Status
		if row.Overdue {
			state += " OVERDUE " + workcal.Durasi(cfg.Calendar.WorkingMinutes(row.Due, now), cfg.Calendar.MinutesPerDay())
		}
		took := "-"
		if row.Actual > 0 || row.Status != flow.StepPending {
			took = fmt.Sprintf("%s / %s", workcal.Durasi(row.Actual, cfg.Calendar.MinutesPerDay()), row.Waktu)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", row.Number, clip(row.Kegiatan, 44), clip(row.Who, 30), short(row.Since, loc), short(row.Due, loc), state, took)
	}
	tw.Flush()
	for i, s := range d.Steps {
		if s.Kind == sop.KindCollect && len(r.Units) > 0 && r.Steps[i].Status != flow.StepPending {
			fmt.Fprintf(w, "\nstep %d per unit:\n", s.Number)
			tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "UNIT\tHEAD\tSTATE\tAT\tFILES\tVERSIONS")
			for _, u := range r.Units {
				ud, _ := cfg.Office.Unit(u.Unit)
				head := ""
				if h, ok := cfg.Office.UnitHead(u.Unit, now); ok {
					head = h.Person.Name
					if h.Acting != "" {
						head = h.Acting + " " + head
					}
				}
				state := "missing"
				if u.Submitted {
					state = "submitted"
				}
				var files []string
				for _, a := range u.Attachments {
					files = append(files, a.Filename)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", ud.Name, head, state, short(u.At, loc), strings.Join(files, ", "), len(u.History))
			}
			tw.Flush()
		}
	}
	if mt := r.Meeting; mt != nil && !mt.Start.IsZero() && r.Status == flow.RunFinished {
		fmt.Fprintf(w, "\nmeeting %q %s at %s, sequence %d", mt.Title, mt.Start.In(loc).Format("2006-01-02 15:04 MST"), mt.Place, mt.Sequence)
		if mt.Cancelled {
			fmt.Fprint(w, " (CANCELLED)")
		}
		fmt.Fprintln(w)
		count := map[string]int{}
		for _, a := range mt.Attendees {
			count[a.PartStat]++
			fmt.Fprintf(w, "  %-12s %s <%s>\n", a.PartStat, a.Name, a.Email)
		}
		fmt.Fprintf(w, "  accepted %d, declined %d, tentative %d, no answer %d\n", count["ACCEPTED"], count["DECLINED"], count["TENTATIVE"], count["NEEDS-ACTION"])
	}
	out, err := tx.Outbox(r.ID)
	if err != nil {
		return err
	}
	pending, failed := 0, 0
	for _, o := range out {
		switch o.Status {
		case store.OutPending:
			pending++
		case store.OutFailed:
			failed++
		}
	}
	fmt.Fprintf(w, "\nmail: %d sent, %d pending, %d failed\n", len(out)-pending-failed, pending, failed)
	printWaiting(w, out, &cfg.Calendar, now)
	for _, o := range out {
		if o.Status == store.OutFailed {
			var to []string
			for _, rc := range o.Mail.To {
				to = append(to, rc.Email)
			}
			fmt.Fprintf(w, "  FAILED %s step %d to %s: %s\n", o.Template, o.Step, strings.Join(to, ", "), o.LastError)
		}
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// listQuarantine shows the incoming mail mailflow gave up on, newest
// first. The messages stay in the mailbox, marked $MailflowQuarantine.
func listQuarantine(tx *store.Tx, w io.Writer, loc *time.Location) error {
	const limit = 20
	n, err := tx.QuarantinedCount()
	if err != nil || n == 0 {
		return err
	}
	qs, err := tx.Failures(false, limit)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nquarantined mail: %d (not processed; left in the mailbox with the keyword $MailflowQuarantine)", n)
	if n > limit {
		fmt.Fprintf(w, ", the newest %d", limit)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tUID\tFROM\tSUBJECT\tTRIES\tERROR")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\n", q.At.In(loc).Format("2006-01-02 15:04"), q.UID,
			flow.Inert(q.From, 40), flow.Inert(q.Subject, 40), q.Attempts, flow.Inert(q.Error, 80))
	}
	return tw.Flush()
}
