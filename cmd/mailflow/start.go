package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func cmdStart(args []string) int { return runStart(args, os.Stdout, os.Stderr) }

func runStart(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	title := fs.String("title", "", "the run's title, e.g. \"LAKIP Tahun 2023\" (required)")
	sopID := fs.String("sop", "", "the SOP to run (default: the first in the config)")
	by := fs.String("by", "admin", "who starts it, for the audit trail")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *title == "" {
		fmt.Fprintln(stderr, "mailflow start: -title is required, e.g. mailflow start -title \"LAKIP Tahun 2023\"")
		return 2
	}
	cfg, eng, ok := c.openStore("start", stderr)
	if !ok {
		return 1
	}
	defer eng.Store.Close()
	if *sopID == "" {
		*sopID = cfg.Office.SOPs[0].ID
	}
	if _, ok := cfg.Office.SOP(*sopID); !ok {
		fmt.Fprintf(stderr, "mailflow start: no SOP %q in %s; the config has:", *sopID, c.config)
		for _, s := range cfg.Office.SOPs {
			fmt.Fprintf(stderr, " %s", s.ID)
		}
		fmt.Fprintln(stderr)
		return 1
	}
	res, err := eng.Start(context.Background(), *sopID, *title, *by, "", nil, nil)
	if err != nil {
		fmt.Fprintf(stderr, "mailflow start: %v\n", err)
		return 1
	}
	mails := 0
	for _, e := range res.Effects {
		if e.Type == "send" {
			mails++
		}
	}
	fmt.Fprintf(stdout, "started run %s %q (%s)\n", res.Run.ID, res.Run.Title, *sopID)
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "  %s\n", n)
	}
	fmt.Fprintf(stdout, "%d mail(s) queued; \"mailflow run\" sends them. See \"mailflow status %s\".\n", mails, res.Run.ID)
	return 0
}
