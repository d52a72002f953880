package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func cmdMeeting(args []string) int { return runMeeting(args, os.Stdout, os.Stderr) }

// runMeeting reschedules or cancels a finished run's Rapat Tim: the
// attendees get an updated invitation (higher SEQUENCE) or a CANCEL.
func runMeeting(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("meeting", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	at := fs.String("at", "", "new start, \"2006-01-02 15:04\" in the office's timezone")
	place := fs.String("place", "", "new place")
	cancel := fs.Bool("cancel", false, "cancel the meeting")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 || (!*cancel && *at == "" && *place == "") {
		fmt.Fprintln(stderr, "usage: mailflow meeting [-config FILE] RUN -at \"2024-05-28 09:00\" [-place \"...\"] | -cancel")
		return 2
	}
	cfg, eng, ok := c.openStore("meeting", stderr)
	if !ok {
		return 1
	}
	defer eng.Store.Close()
	ev := flow.Event{Type: flow.EvMeetingChange, From: "admin", Cancel: *cancel}
	if *at != "" || *place != "" {
		in := &flow.MeetingInput{Place: *place}
		if *at != "" {
			t, err := time.ParseInLocation("2006-01-02 15:04", *at, cfg.Calendar.Loc)
			if err != nil {
				fmt.Fprintf(stderr, "mailflow meeting: -at %q: want \"2006-01-02 15:04\"\n", *at)
				return 2
			}
			in.Start, in.HasTime = t, true
		}
		ev.Meeting = in
	}
	err = eng.Store.View(context.Background(), func(tx *store.Tx) error {
		r, err := findRun(tx, pos[0])
		if err != nil {
			return err
		}
		if r.Meeting == nil || r.Meeting.Start.IsZero() {
			return fmt.Errorf("run %s has no meeting yet (it is sent at the last step)", r.ID)
		}
		ev.RunID = r.ID
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow meeting: %v\n", err)
		return 1
	}
	ev.At = eng.Now()
	res, err := eng.Handle(context.Background(), ev, nil)
	if err != nil {
		fmt.Fprintf(stderr, "mailflow meeting: %v\n", err)
		return 1
	}
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, n)
	}
	fmt.Fprintln(stdout, "the daemon (mailflow run) sends the update to every attendee")
	return 0
}
