package metrics

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func TestHooks(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "m.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)
	m := New(st, flow.Env{}, "test", func() time.Time { return now })

	assign := &flow.Mail{MessageID: "a@x", Template: flow.TplTask}
	receipt := &flow.Mail{MessageID: "r@x", Template: flow.TplReceipt, Automatic: true}
	m.Committed(&engine.Result{Event: flow.EvReply, Command: flow.CmdApprove,
		Effects: []flow.Effect{{Type: flow.EffSend, Mail: assign}, {Type: flow.EffSend, Mail: receipt}}})
	m.Committed(&engine.Result{Event: flow.EvTick})
	m.Mail(mailout.Outcome{MessageID: "a@x", Status: store.OutPending, Err: errors.New("421 try later"), At: now.Add(time.Second)})
	m.Mail(mailout.Outcome{MessageID: "a@x", Status: store.OutSent, At: now.Add(3 * time.Second)})
	m.Mail(mailout.Outcome{MessageID: "r@x", Status: store.OutFailed, Err: errors.New("550"), At: now.Add(time.Hour)})
	m.IMAPState(mailin.State{Up: true, Idle: true})
	m.IMAPState(mailin.State{Up: true, Idle: true, IdleRestart: true})
	m.IMAPState(mailin.State{Err: errors.New("connection reset")})

	for name, tc := range map[string]struct {
		got  float64
		want float64
	}{
		"replies":      {testutil.ToFloat64(m.replies.WithLabelValues("reply", "approve")), 1},
		"events tick":  {testutil.ToFloat64(m.events.WithLabelValues("tick")), 1},
		"sent":         {testutil.ToFloat64(m.sent.WithLabelValues(flow.TplTask)), 1},
		"retried":      {testutil.ToFloat64(m.retried.WithLabelValues(flow.TplTask)), 1},
		"failed":       {testutil.ToFloat64(m.failed.WithLabelValues(flow.TplReceipt)), 1},
		"reconnects":   {testutil.ToFloat64(m.reconnects), 1},
		"idle restart": {testutil.ToFloat64(m.idleRestart), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", name, tc.got, tc.want)
		}
	}
	// One hand-off: the assignment, 3 s after the reply's commit; the
	// receipt (automatic, waits for working hours) is not one.
	if n := testutil.CollectAndCount(m.handoff); n != 1 {
		t.Fatalf("handoff series %d", n)
	}
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fams {
		if f.GetName() == "mailflow_handoff_seconds" {
			h := f.GetMetric()[0].GetHistogram()
			found = h.GetSampleCount() == 1 && h.GetSampleSum() == 3
		}
	}
	if !found {
		t.Fatal("handoff: want one sample of 3 s")
	}
	l := m.Live.Snapshot()
	if l.IMAPUp || l.IMAPLastErr != "connection reset" || l.SMTPLastOK.IsZero() || l.SMTPLastErr != "550" {
		t.Fatalf("live %+v", l)
	}
}

func TestStoreGauges(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "m.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2024, 5, 6, 8, 0, 0, 0, time.UTC)
	run := &flow.Run{ID: "r1", Token: "t1", SOP: "s", Status: flow.RunActive,
		Steps: []flow.StepState{{Number: 1, Status: flow.StepDone}, {Number: 2, Status: flow.StepActive, DueAt: t0.Add(time.Hour)}}}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveRun(run, t0); err != nil {
			return err
		}
		// Held for working hours, never tried: not stuck, however old.
		held := &flow.Mail{MessageID: "m0", Template: "reminder", Automatic: true, To: []flow.Recipient{{Email: "a@x"}}}
		if err := tx.Enqueue("r1", 1, held, t0.Add(-time.Hour), t0.Add(10*time.Hour)); err != nil {
			return err
		}
		return tx.Enqueue("r1", 1, &flow.Mail{MessageID: "m1", Template: "x", To: []flow.Recipient{{Email: "a@x"}}}, t0, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	var g StoreGauges
	st.View(context.Background(), func(tx *store.Tx) error {
		g, err = ReadGauges(tx, t0.Add(2*time.Hour), nil)
		return err
	})
	if err != nil || g.Runs[flow.RunActive] != 1 || g.Overdue != 1 || g.Outbox[store.OutPending] != 2 || g.OldestPending != 2*time.Hour {
		t.Fatalf("gauges %+v %v", g, err)
	}
	// The deadlines cache follows a run that changed (by its event count).
	cache := &DueCache{}
	read := func() StoreGauges {
		st.View(context.Background(), func(tx *store.Tx) error {
			g, err = ReadGauges(tx, t0.Add(2*time.Hour), cache)
			return err
		})
		return g
	}
	if g := read(); g.Overdue != 1 {
		t.Fatalf("cached: %+v", g)
	}
	run.Steps[1].Status, run.Seq = flow.StepDone, run.Seq+1
	st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveRun(run, t0) })
	if g := read(); g.Overdue != 0 {
		t.Fatalf("after the step was done: %+v", g)
	}
}
