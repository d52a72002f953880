package mailin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// TestHandoverKeepsExactlyOnce: two instances' watchers on one real IMAP
// mailbox and one store, each under the mailbox lease. The holder loses
// its database mid-stream (as good as dead: it can neither renew nor
// commit); the other takes the mailbox over and carries on. Every message
// is committed exactly once across both, and every one ends flagged.
func TestHandoverKeepsExactlyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, b storetest.Backend) {
		hs := newHarness(t)
		loc := b.Fresh(t)
		type inst struct {
			st     *store.Store
			h      *fakeHandler
			cancel context.CancelFunc
			done   chan error
		}
		start := func(name string) *inst {
			st, err := store.Open(loc, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			in := &inst{st: st, h: &fakeHandler{st: st}, done: make(chan error, 1)}
			opt := hs.options()
			opt.Store, opt.Handler = st, in.h
			l := &daemon.Leased{Store: st, Name: "mailbox:office/INBOX", Holder: name, Inner: New(opt), Log: testLog(t),
				TTL: 800 * time.Millisecond, Every: 100 * time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			in.cancel = cancel
			go func() { in.done <- l.Run(ctx) }()
			t.Cleanup(func() { cancel(); <-in.done })
			return in
		}
		committed := func(ins ...*inst) map[string]int {
			out := map[string]int{}
			for _, in := range ins {
				_, _, cs := in.h.stats()
				for _, c := range cs {
					out[c.MessageID]++
				}
			}
			return out
		}
		waitCommitted := func(n int, ins ...*inst) {
			t.Helper()
			deadline := time.Now().Add(20 * time.Second)
			for len(committed(ins...)) < n {
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d messages committed", len(committed(ins...)), n)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		a := start("a")
		var ids []string
		for i := range 5 {
			ids = append(ids, uniq(fmt.Sprint("m", i)))
			hs.appendMsg(ours+" laporan", ids[i])
		}
		waitCommitted(5, a)
		bi := start("b")
		a.st.Close() // a is as good as dead
		for i := 5; i < 10; i++ {
			ids = append(ids, uniq(fmt.Sprint("m", i)))
			hs.appendMsg(ours+" laporan", ids[i])
		}
		waitCommitted(10, a, bi)
		time.Sleep(300 * time.Millisecond) // any second commit would show by now
		got := committed(a, bi)
		for _, id := range ids {
			if got[id] != 1 {
				t.Errorf("%s committed %d times", id, got[id])
			}
		}
		if _, _, cs := bi.h.stats(); len(cs) < 5 {
			t.Errorf("the new holder committed %d messages, want the 5 after the handover", len(cs))
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			fl := hs.flags("INBOX")
			missing := 0
			for _, id := range ids {
				if fl[id] == "" || !slices.Contains(strings.Fields(fl[id]), "$mailflowdone") {
					missing++
				}
			}
			if missing == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d messages not flagged %s: %v", missing, keyword, fl)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}
