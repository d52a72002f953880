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

// runMeeting reschedules or cancels a run's Rapat Tim: the
// attendees get an updated invitation (higher SEQUENCE) or a CANCEL.
func runMeeting(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("meeting", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	at := fs.String("at", "", "new start, \"2006-01-02 15:04\" in the office's timezone")
	place := fs.String("place", "", "new place")
	cancel := fs.Bool("cancel", false, "cancel the meeting")
	force := fs.Bool("force", false, "take a time that is not a working hour of a working day (or is past)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 || (!*cancel && *at == "" && *place == "") || (*cancel && (*at != "" || *place != "")) {
		fmt.Fprintln(stderr, "usage: mailflow meeting [-config FILE] RUN -at \"2024-05-28 09:00\" [-place \"...\"] [-force] | -cancel")
		return 2
	}
	cfg, eng, ok := c.openStore("meeting", stderr)
	if !ok {
		return 1
	}
	defer eng.Store.Close()
	ev := flow.Event{Type: flow.EvMeetingChange, From: "admin", Cancel: *cancel, Force: *force}
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
	now := eng.Now()
	err = eng.Store.View(context.Background(), func(tx *store.Tx) error {
		r, err := findRun(tx, pos[0])
		if err != nil {
			return err
		}
		ev.RunID = r.ID
		return meetingRefusal(eng.Env, r, ev, now)
	})
	if err != nil {
		fmt.Fprintf(stderr, "mailflow meeting: %v\n", err)
		return 1
	}
	ev.At = now
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

// meetingRefusal says why the change cannot be made, before anything is
// applied: every refusal is an error (a non-zero exit), never "ignored".
func meetingRefusal(env flow.Env, r *flow.Run, ev flow.Event, now time.Time) error {
	mt := r.Meeting
	if mt == nil || mt.Issued.IsZero() {
		return fmt.Errorf("run %s has sent no invitation yet (the meeting step sends it; the date is set in the reply to step 12 or to the meeting step)", r.ID)
	}
	if ev.Cancel {
		if mt.Cancelled {
			return fmt.Errorf("the meeting of run %s is already cancelled", r.ID)
		}
		return nil
	}
	if mt.Cancelled && (ev.Meeting == nil || ev.Meeting.Start.IsZero()) {
		return fmt.Errorf("the meeting of run %s is cancelled; give -at to schedule a new one", r.ID)
	}
	if ev.Meeting == nil || ev.Meeting.Start.IsZero() || ev.Force {
		return nil
	}
	prob, det, next := flow.CheckMeeting(env, r, ev.Meeting.Start, mt.Minutes, now)
	if prob == "" {
		return nil
	}
	why := map[string]string{
		flow.SlotPast: "is in the past", flow.SlotHoliday: "is a holiday", flow.SlotWeekend: "is not a working day",
		flow.SlotHours: "starts or ends outside working hours", flow.SlotUnsigned: "is before the draft can be signed",
	}[prob]
	if det != "" {
		why += " (" + det + ")"
	}
	loc := env.Cal.Loc
	return fmt.Errorf("%s %s; the next possible time is %s (-at %q), or add -force to keep it",
		ev.Meeting.Start.In(loc).Format("Mon 2006-01-02 15:04"), why, next.In(loc).Format("Mon 2006-01-02 15:04"), next.In(loc).Format("2006-01-02 15:04"))
}
