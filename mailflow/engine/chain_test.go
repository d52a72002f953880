package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// A finished run whose SOP links the next one (Keterkaitan) starts that
// run in the same transaction, with the documents it passes on.
func TestChainedRunStartsInTheSameTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		c, err := config.Load("../flow/testdata/chain.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(storetest.For(t), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		eng := engine.New(st, flow.Env{Office: &c.Office, Cal: &c.Calendar}, nil)
		ctx := context.Background()
		at := time.Date(2024, 6, 3, 8, 0, 0, 0, c.Calendar.Loc)
		eng.Now = func() time.Time { return at }
		res, err := eng.Start(ctx, "cuti", "CUTI Andi 2024", "andi@contoh.go.id", "", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := res.Run.ID
		att := []flow.Attachment{{Filename: "berkas_cuti.pdf", ContentType: "application/pdf", Size: 10, SHA256: "00"}}
		for _, ev := range []flow.Event{
			{Type: flow.EvReply, At: at.Add(time.Hour), RunID: id, From: "bella@contoh.go.id", Command: flow.CmdDone, Step: 2, MessageID: "b1", Attachments: att},
			{Type: flow.EvReply, At: at.Add(2 * time.Hour), RunID: id, From: "candra@contoh.go.id", Command: flow.CmdApprove, Step: 3, MessageID: "c1"},
		} {
			if res, err = eng.Handle(ctx, ev, nil); err != nil {
				t.Fatal(err)
			}
		}
		if res.Run.Status != flow.RunFinished || len(res.Chained) != 1 {
			t.Fatalf("finished run %s, chained %d", res.Run.Status, len(res.Chained))
		}
		next := res.Chained[0].Run
		var runs []store.RunInfo
		var stored *flow.Run
		var out []store.OutboxRow
		st.View(ctx, func(tx *store.Tx) error {
			runs, _ = tx.Runs("")
			stored, _ = tx.LoadRun(next.ID)
			out, _ = tx.Outbox(next.ID)
			return nil
		})
		if len(runs) != 2 || stored == nil || stored.SOP != "catat_cuti" || stored.Docs["berkas"].Attachments[0].Filename != "berkas_cuti.pdf" {
			t.Fatalf("chained run: %d runs, %+v", len(runs), stored)
		}
		if len(out) == 0 || out[0].Step != 2 || len(out[0].Mail.Attachments) != 1 {
			t.Fatalf("the chained run's first assignment: %+v", out)
		}
	})
}
