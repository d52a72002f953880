package mailout_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// Every mail the server accepted is archived with the very bytes the
// server received, under its run and Message-ID.
func TestSentMailIsArchivedAsReceived(t *testing.T) {
	storetest.Run(t, func(t *testing.T, _ storetest.Backend) {
		e := newEnv(t)
		e.start() // the first assignment, with the disposition attached
		w := e.worker(e.options())
		e.drain(w)
		w.Wait()
		got := e.smtp.messages()
		if len(got) == 0 {
			t.Fatal("nothing sent")
		}
		var ms []store.Message
		e.st.View(context.Background(), func(tx *store.Tx) error { ms, _ = tx.Messages("run1"); return nil })
		if len(ms) != len(got) {
			t.Fatalf("%d mails sent, %d archived", len(got), len(ms))
		}
		for i, m := range ms {
			if m.Direction != store.MsgOut || m.MessageID == "" || m.Subject == "" || len(m.To) == 0 {
				t.Errorf("row %d: %+v", i, m)
			}
			f, err := e.blobs.Open(m.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(f)
			f.Close()
			// The fake server adds no trace fields: the bytes are the same.
			if !bytes.Equal(b, got[i].Data) {
				t.Errorf("archived %s differs from what the server received (%d vs %d bytes)", m.MessageID, len(b), len(got[i].Data))
			}
		}
	})
}
