package mailout_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestInstancesShareTheOutbox: three workers, each with its own store
// handle (three instances), drain one outbox at once. Every mail is sent
// exactly once, and the work is shared.
func TestInstancesShareTheOutbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t)
		base := sample(t, flow.TplNotice)
		const n = 60
		var ms []*flow.Mail
		for i := range n {
			m := *base
			m.MessageID = strings.Replace(base.MessageID, "@", fmt.Sprintf("s%02d@", i), 1)
			ms = append(ms, &m)
		}
		var wg sync.WaitGroup
		var workers []*mailout.Worker
		for range 3 {
			st, err := store.Open(e.loc, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			opt := e.options()
			opt.Store = st
			opt.SMTP.MaxPerHour = 0 // sixty answers to one address
			w := e.worker(opt)
			// A running instance: its start (recovering what a crash cut
			// off) is behind it.
			if _, err := w.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			workers = append(workers, w)
		}
		e.enqueue(ms...)
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := w.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, r := range e.smtp.messages() {
			msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
			if err != nil {
				t.Fatal(err)
			}
			count[msg.Header.Get("Message-Id")]++
		}
		if got := len(e.smtp.messages()); got != n {
			t.Errorf("%d mails delivered for %d queued", got, n)
		}
		for _, m := range ms {
			if c := count["<"+m.MessageID+">"]; c != 1 {
				t.Errorf("%s sent %d times", m.MessageID, c)
			}
		}
		for _, r := range e.outbox() {
			if r.Status != store.OutSent || r.Attempts != 1 {
				t.Errorf("row %d: %s after %d attempts", r.ID, r.Status, r.Attempts)
			}
		}
	})
}
