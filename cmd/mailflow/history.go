package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

func cmdHistory(args []string) int { return runHistory(args, os.Stdout, os.Stderr) }

func runHistory(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: mailflow history [-config FILE] RUN   (\"mailflow status\" lists the runs)")
		return 2
	}
	cfg, st, ok := c.openExisting("history", stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	loc := cfg.Calendar.Loc
	err = st.View(context.Background(), func(tx *store.Tx) error {
		run, err := findRun(tx, pos[0])
		if err != nil {
			return err
		}
		evs, err := tx.Events(run.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "history of run %s %q (%d events; times in %s)\n", run.ID, run.Title, len(evs), loc)
		for _, e := range evs {
			fmt.Fprintf(stdout, "\n#%d %s %s", e.Seq, e.At.In(loc).Format("2006-01-02 15:04:05 MST"), e.Type)
			if e.Actor != "" {
				fmt.Fprintf(stdout, " by %s", e.Actor)
			}
			if e.Event.Command != "" {
				fmt.Fprintf(stdout, " command=%s", e.Event.Command)
			}
			if e.Event.Step != 0 {
				fmt.Fprintf(stdout, " step=%d", e.Event.Step)
			}
			if e.Evidence != "" {
				fmt.Fprintf(stdout, "\n   evidence: Message-ID <%s>", e.Evidence)
			}
			if e.Event.Notes != "" {
				fmt.Fprintf(stdout, "\n   notes: %q", e.Event.Notes)
			}
			for _, a := range e.Event.Attachments {
				fmt.Fprintf(stdout, "\n   attachment: %s (%d bytes, sha256 %s)", a.Filename, a.Size, a.SHA256)
			}
			for _, n := range e.Notes {
				fmt.Fprintf(stdout, "\n   - %s", n)
			}
		}
		fmt.Fprintln(stdout)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow history: %v\n", err)
		return 1
	}
	return 0
}
