package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

const crashEvents = 2400

// streamEvent is the i-th event (1-based) of a deterministic stream that
// starts a run every 20 events and walks it through the SOP.
func streamEvent(i int) (flow.Event, store.Inbound) {
	k, j := (i-1)/20, (i-1)%20
	tok := fmt.Sprintf("r%04dxxxxxxxxxxxxxxx", k)
	tok = tokenize(tok)
	at := time.Date(2024, 6, 3, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600)).Add(time.Duration(i) * time.Minute)
	in := store.Inbound{Mailbox: "INBOX", UIDValidity: 1, UID: uint32(i), MessageID: fmt.Sprintf("m%d@test", i)}
	ev := flow.Event{Type: flow.EvReply, At: at, RunID: tok[:10], MessageID: in.MessageID}
	dom := "@dinsospmd.bangkatengahkab.go.id"
	units := []string{"perencanaan", "umum", "keuangan", "rehsos", "linjamsos", "pmd"}
	att := []flow.Attachment{{Filename: fmt.Sprintf("f%d.pdf", i), ContentType: "application/pdf", Size: 10, SHA256: "ab"}}
	switch {
	case j == 0:
		ev = flow.Event{Type: flow.EvStart, At: at, RunID: tok[:10], Token: tok, SOP: "lakip", Title: fmt.Sprintf("LAKIP %d", k),
			From: "kepala" + dom, MessageID: in.MessageID}
	case j == 1:
		ev.From, ev.Command, ev.Step = "sekretaris"+dom, flow.CmdDone, 2
	case j == 2:
		ev.From, ev.Command, ev.Step = "perencanaan"+dom, flow.CmdDone, 3
	case j >= 3 && j <= 8:
		ev.From, ev.Command, ev.Step, ev.Attachments = units[j-3]+dom, flow.CmdDone, 4, att
	case j == 9:
		ev.From, ev.Command, ev.Step = "perencanaan"+dom, flow.CmdDone, 5
	case j == 10:
		ev.From, ev.Command, ev.Step, ev.Notes = "sekretaris"+dom, flow.CmdDone, 6, "arahan"
	case j == 11 || j == 13:
		ev.From, ev.Command, ev.Step, ev.Attachments = "perencanaan"+dom, flow.CmdDone, 7, att
	case j == 12:
		ev.From, ev.Command, ev.Step, ev.Notes = "sekretaris"+dom, flow.CmdReject, 8, "perbaiki"
	case j == 14:
		ev.From, ev.Command, ev.Step = "sekretaris"+dom, flow.CmdApprove, 8
	case j == 15:
		ev.From, ev.Command, ev.Step = "kepala"+dom, flow.CmdApprove, 11
	case j == 16:
		ev.From, ev.Command, ev.Step = "kepala"+dom, flow.CmdDone, 12
	case j == 17:
		ev = flow.Event{Type: flow.EvCalendarReply, At: at, RunID: tok[:10], From: "umum" + dom, PartStat: "ACCEPTED", MessageID: in.MessageID}
	default:
		ev.From, ev.Command = "sekretaris"+dom, flow.CmdStatus
	}
	return ev, in
}

// tokenize maps digits to the token alphabet.
func tokenize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = 'a' + (c - '0')
		}
	}
	return string(b)
}

// TestCrashChild is the child process of TestCrash: it applies the stream,
// resuming after whatever was committed, until killed or done.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("MAILFLOW_CRASH_DB")
	if path == "" {
		t.Skip("only run as TestCrash's child")
	}
	env := lakipEnv(t)
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(st, env, nil)
	for i := 1; i <= crashEvents; i++ {
		ev, in := streamEvent(i)
		eng.Now = func() time.Time { return ev.At }
		if _, err := eng.Handle(context.Background(), ev, &in); err != nil && !engine.IsDuplicate(err) {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}

func TestCrash(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		if testing.Short() {
			t.Skip("crash test is long")
		}
		kills, rounds := 0, 0
		rng := rand.New(rand.NewPCG(1, 2))
		for kills < 50 {
			rounds++
			path := storetest.For(t)
			for {
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), "MAILFLOW_CRASH_DB="+path)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("child failed: %v", err)
					}
				case <-killAfter(kills, time.Duration(30+rng.IntN(150))*time.Millisecond):
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					kills++
					continue
				}
				break // the child finished the stream
			}
			verifyCrashDB(t, path)
		}
		t.Logf("%d SIGKILLs over %d database(s); every restart resumed without loss or repeat", kills, rounds)
	})
}

// killAfter fires after d until 50 kills were made; then it never fires,
// so the last child runs the stream to its end.
func killAfter(kills int, d time.Duration) <-chan time.Time {
	if kills >= 50 {
		return nil
	}
	return time.After(d)
}

func verifyCrashDB(t *testing.T, path string) {
	t.Helper()
	env := lakipEnv(t)
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(context.Background(), func(tx *store.Tx) error {
		inb, err := tx.InboundResults(crashEvents * 2)
		if err != nil {
			return err
		}
		if len(inb) != crashEvents {
			t.Errorf("inbound markers: %d, want %d", len(inb), crashEvents)
		}
		runs, err := tx.Runs("")
		if err != nil {
			return err
		}
		total := 0
		for _, ri := range runs {
			evs, err := tx.Events(ri.ID)
			if err != nil {
				return err
			}
			total += len(evs)
			var r *flow.Run
			want := map[string]bool{}
			for i, e := range evs {
				if e.Seq != int64(i+1) {
					t.Fatalf("run %s: event %d has seq %d", ri.ID, i, e.Seq)
				}
				var effs []flow.Effect
				if r, effs, err = flow.Apply(env, r, e.Event); err != nil {
					return err
				}
				for _, ef := range effs {
					if ef.Type == flow.EffSend {
						want[ef.Mail.MessageID] = true
					}
				}
			}
			stored, err := tx.LoadRun(ri.ID)
			if err != nil {
				return err
			}
			a, _ := json.Marshal(r)
			b, _ := json.Marshal(stored)
			if string(a) != string(b) {
				t.Errorf("run %s: stored state differs from the replay of its log", ri.ID)
			}
			out, err := tx.Outbox(ri.ID)
			if err != nil {
				return err
			}
			if len(out) != len(want) {
				t.Errorf("run %s: outbox has %d mails, replay gives %d", ri.ID, len(out), len(want))
			}
			for _, o := range out {
				if !want[o.MessageID] {
					t.Errorf("run %s: outbox mail %s not produced by the replay", ri.ID, o.MessageID)
				}
			}
		}
		if total != crashEvents {
			t.Errorf("events logged: %d, want %d (lost or repeated)", total, crashEvents)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
