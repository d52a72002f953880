package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func TestMessagesArchive(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		s, err := Open(storetest.For(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		at := time.Date(2024, 5, 6, 1, 0, 0, 0, time.UTC)
		out := Message{Direction: MsgOut, RunID: "r1", MessageID: "<mf.a.s2r1.1@x>", At: at, From: "tu@x", To: []string{"a@x", "b@x"},
			Subject: "Penugasan", SHA256: "aa", Size: 10}
		err = s.Update(ctx, func(tx *Tx) error {
			if err := tx.AddMessage(out); err != nil {
				return err
			}
			// The same bytes archived again (a retried commit) are one row.
			if err := tx.AddMessage(out); err != nil {
				return err
			}
			if err := tx.AddMessage(Message{Direction: "sideways"}); err == nil {
				t.Error("a message with no direction was archived")
			}
			// An inbound message is archived with the marker, under the run the
			// marker names.
			return tx.MarkInbound(Inbound{Mailbox: "INBOX", UIDValidity: 1, UID: 7, MessageID: "r@x", RunID: "r1", Result: "applied", At: at.Add(time.Minute),
				Archive: &Message{From: "a@x", Subject: "Re: Penugasan", Auth: "dmarc=pass (aligned)", SHA256: "bb", Size: 20}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A marker whose transaction rolls back leaves no archive row.
		boom := errors.New("boom")
		err = s.Update(ctx, func(tx *Tx) error {
			if err := tx.MarkInbound(Inbound{Mailbox: "INBOX", UIDValidity: 1, UID: 8, MessageID: "lost@x", RunID: "r1", At: at,
				Archive: &Message{SHA256: "cc"}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		s.View(ctx, func(tx *Tx) error {
			ms, err := tx.Messages("r1")
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 2 {
				t.Fatalf("%d rows: %+v", len(ms), ms)
			}
			o, in := ms[0], ms[1]
			if o.Direction != MsgOut || o.MessageID != "mf.a.s2r1.1@x" || len(o.To) != 2 || !o.At.Equal(at) {
				t.Errorf("out: %+v", o)
			}
			if in.Direction != MsgIn || in.RunID != "r1" || in.MessageID != "r@x" || in.Auth != "dmarc=pass (aligned)" || !in.At.Equal(at.Add(time.Minute)) {
				t.Errorf("in: %+v", in)
			}
			got, err := tx.MessageByID(in.ID)
			if err != nil || got.SHA256 != "bb" {
				t.Errorf("by id: %+v %v", got, err)
			}
			if _, err := tx.MessageByID(999); !errors.Is(err, ErrNotFound) {
				t.Errorf("missing id: %v", err)
			}
			return nil
		})
	})
}
