package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// TestAdminMail: an alert of no run is one outbox row, due at once even
// on a Saturday night, with a Message-ID that names no run; a bounce of it
// marks it failed and is processed once, with no mail about the mail.
func TestAdminMail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		eng := newEngine(t)
		ctx := context.Background()
		sat := time.Date(2024, 6, 8, 22, 0, 0, 0, eng.Env.Cal.Loc)
		eng.Now = func() time.Time { return sat }
		kicked := 0
		eng.Notify = func() { kicked++ }
		m := flow.QuarantineAlert(eng.Env.Office, 1, []flow.QuarantineItem{{UID: 7, From: "x@evil.example", At: sat}}, "$MailflowQuarantine")
		id, err := eng.AdminMail(ctx, *m)
		if err != nil {
			t.Fatal(err)
		}
		if _, isRun := token.FromMessageID(id); isRun || !strings.HasPrefix(id, "mf-admin.") || !strings.HasSuffix(id, "@"+eng.Env.Office.Domain) {
			t.Errorf("Message-ID %q", id)
		}
		if _, err := eng.AdminMail(ctx, flow.Mail{Template: flow.TplQuarantine}); err == nil {
			t.Error("a mail to nobody was queued")
		}
		var rows []store.OutboxRow
		eng.Store.View(ctx, func(tx *store.Tx) error { rows, _ = tx.Outbox(""); return nil })
		if len(rows) != 1 || kicked != 1 {
			t.Fatalf("%d rows, %d kicks", len(rows), kicked)
		}
		r := rows[0]
		if r.RunID != "" || r.MessageID != id || r.Mail.MessageID != id || r.Status != store.OutPending || !r.NextAttempt.Equal(sat) ||
			r.Mail.To[0].Email != eng.Env.Office.Admin || r.Mail.Data.Quarantine.Items[0].UID != 7 {
			t.Errorf("row %+v", r)
		}

		// The admin's address bounces the alert.
		in := store.Inbound{Mailbox: "INBOX", UIDValidity: 1, UID: 9, MessageID: "dsn1@mx", Result: "bounce"}
		ev := flow.Event{Type: flow.EvDeliveryFailed, At: sat, FailedID: id, Recipient: eng.Env.Office.Admin, Reason: "550 5.1.1 no such user"}
		res, err := eng.Handle(ctx, ev, &in)
		if err != nil || res.Run != nil {
			t.Fatalf("bounce of an admin mail: %+v, %v", res, err)
		}
		if _, err := eng.Handle(ctx, ev, &in); !engine.IsDuplicate(err) {
			t.Errorf("the same bounce again: %v", err)
		}
		var seen bool
		eng.Store.View(ctx, func(tx *store.Tx) error {
			rows, _ = tx.Outbox("")
			seen, _ = tx.SeenInbound(in)
			return nil
		})
		if len(rows) != 1 || rows[0].Status != store.OutFailed || rows[0].LastError != ev.Reason || !seen {
			t.Errorf("after the bounce: %d rows, %+v, processed %v", len(rows), rows[0], seen)
		}
	})
}
