package mailin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestStaleLeaseStopsWatcher: a watcher running under a lease that passed
// to another instance (it was paused past its expiry) finds its first write
// refused by the fence. It stops at once with store.ErrLeaseLost, for
// daemon.Leased to log and go back to waiting, instead of retrying the
// message and reconnecting to a mailbox that is no longer its own; it
// commits nothing and flags nothing.
func TestStaleLeaseStopsWatcher(t *testing.T) {
	hs := newHarness(t)
	ctx := context.Background()
	stale, err := hs.st.Acquire(ctx, "mailbox:office/INBOX", "old", 50*time.Millisecond)
	if err != nil || stale == nil {
		t.Fatalf("acquire: %v %v", stale, err)
	}
	time.Sleep(120 * time.Millisecond)
	if l, err := hs.st.Acquire(ctx, "mailbox:office/INBOX", "new", time.Minute); err != nil || l == nil {
		t.Fatalf("takeover: %v %v", l, err)
	}
	id := uniq("stale")
	hs.appendMsg(ours+" laporan", id)
	rctx, cancel := context.WithCancel(store.WithFence(ctx, stale))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- New(hs.options()).Run(rctx) }()
	select {
	case err := <-done:
		if !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("Run returned %v, want store.ErrLeaseLost", err)
		}
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatal("the watcher went on with a stale lease instead of stopping")
	}
	if _, _, cs := hs.h.stats(); len(cs) != 0 {
		t.Errorf("committed %d messages with a stale lease", len(cs))
	}
	if f := hs.flags("INBOX")[id]; f != "" {
		t.Errorf("flagged %q with a stale lease", f)
	}
}
