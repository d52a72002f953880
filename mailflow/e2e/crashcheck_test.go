package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// What the crash test checks once the run is over.

// waitApplied waits until every answer sent is in the run's event log.
func waitApplied(t *testing.T, ctx context.Context, st *store.Store, runID string, ids []string) {
	t.Helper()
	for ctx.Err() == nil {
		seen := map[string]bool{}
		st.View(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(runID)
			for _, e := range evs {
				seen[strings.Trim(e.Evidence, "<>")] = true
			}
			return err
		})
		missing := 0
		for _, id := range ids {
			if !seen[strings.Trim(id, "<>")] {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("answers not applied at the time limit")
}

// waitOutboxSent waits until no mail is pending in the outbox.
func waitOutboxSent(t *testing.T, ctx context.Context, st *store.Store) {
	t.Helper()
	for ctx.Err() == nil {
		n := -1
		st.View(ctx, func(tx *store.Tx) error {
			rows, err := tx.Outbox("")
			if err != nil {
				return err
			}
			n = 0
			for _, r := range rows {
				if r.Status == store.OutPending {
					n++
				}
			}
			return nil
		})
		if n == 0 {
			time.Sleep(300 * time.Millisecond) // the last deliveries reach the mailboxes
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("mail still pending in the outbox at the time limit")
}

// checkCrashRun checks the stored run and event log against what the
// officials received and sent.
func checkCrashRun(t *testing.T, st *store.Store, runID, office string, delivered []*inMail, sentIDs []string) {
	t.Helper()
	var run *flow.Run
	var events []store.EventRow
	var outbox []store.OutboxRow
	err := st.View(context.Background(), func(tx *store.Tx) error {
		var err error
		if run, err = tx.LoadRun(runID); err != nil {
			return err
		}
		if events, err = tx.Events(runID); err != nil {
			return err
		}
		outbox, err = tx.Outbox("")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != flow.RunFinished {
		t.Errorf("run %s is %s", runID, run.Status)
	}
	for _, s := range run.Steps {
		if s.Status != flow.StepDone {
			t.Errorf("step %d is %s", s.Number, s.Status)
		}
	}
	if mt := run.Meeting; mt != nil {
		for _, a := range mt.Attendees {
			if a.PartStat != "ACCEPTED" {
				t.Errorf("attendee %s: %q, but every attendee accepted", a.Email, a.PartStat)
			}
		}
	}
	// No event applied twice; every answer applied once.
	byEvidence := map[string]int{}
	for i, e := range events {
		if e.Seq != int64(i+1) {
			t.Errorf("event %d has seq %d", i+1, e.Seq)
		}
		if e.Evidence != "" {
			byEvidence[strings.Trim(e.Evidence, "<>")]++
		}
	}
	for id, n := range byEvidence {
		if n > 1 {
			t.Errorf("message %s applied %d times", id, n)
		}
	}
	for _, id := range sentIDs {
		if byEvidence[strings.Trim(id, "<>")] != 1 {
			t.Errorf("answer %s applied %d times, want once", id, byEvidence[strings.Trim(id, "<>")])
		}
	}
	// Every mail of ours delivered is an outbox row; each assignment and
	// invitation reached each recipient.
	rows := map[string]store.OutboxRow{}
	for _, r := range outbox {
		rows[r.MessageID] = r
		if r.Status != store.OutSent {
			t.Errorf("outbox %s (%s to %v) is %s: %s", r.MessageID, r.Template, r.Mail.To, r.Status, r.LastError)
		}
	}
	got := map[string]bool{}
	one := map[string]string{} // recipient, step, round, kind -> Message-ID
	for _, m := range delivered {
		if m.Kind == "" {
			continue
		}
		if _, ok := rows[m.MessageID]; !ok {
			t.Errorf("%s got mail %s (%s, step %d) that is in no outbox row", m.To, m.MessageID, m.Kind, m.Step)
		}
		got[m.To+" "+m.MessageID] = true
		if strings.HasPrefix(m.Kind, "assign_") || m.Kind == "invitation" {
			k := fmt.Sprintf("%s %d %d %s", m.To, m.Step, m.Round, m.Kind)
			if prev, ok := one[k]; ok && prev != m.MessageID {
				t.Errorf("%s got the same mail (step %d, %s) as %s and as %s", m.To, m.Step, m.Kind, prev, m.MessageID)
			}
			one[k] = m.MessageID
		}
	}
	assignments := 0
	for _, r := range outbox {
		if !strings.HasPrefix(r.Template, "assign_") && r.Template != flow.TplInvitation {
			continue
		}
		for _, to := range r.Mail.To {
			assignments++
			if !got[to.Email+" "+r.MessageID] {
				t.Errorf("%s never received %s (%s, step %d)", to.Email, r.MessageID, r.Template, r.Step)
			}
		}
	}
	t.Logf("run %s finished: %d events, %d outbox rows, %d assignments and invitations delivered, %d answers",
		runID, len(events), len(outbox), assignments, len(sentIDs))
}

// duplicates counts mail delivered more than once to the same person (a
// send cut off by a kill after the server took it); they share the
// Message-ID by construction of the count.
func duplicates(delivered []*inMail) (int, []string) {
	n := map[string]int{}
	for _, m := range delivered {
		if m.Kind != "" {
			n[m.To+" "+m.MessageID]++
		}
	}
	dups := 0
	var ids []string
	for k, c := range n {
		if c > 1 {
			dups += c - 1
			to, id, _ := strings.Cut(k, " ")
			ids = append(ids, fmt.Sprintf("%s to %s ×%d", id[:strings.IndexByte(id, '@')], to[:strings.IndexByte(to, '@')], c))
		}
	}
	sort.Strings(ids)
	return dups, ids
}
