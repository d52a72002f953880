package mailin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// TestPipelinedChunks: many small chunks, so that pass 1 of the next chunk,
// the bodies of this one and the marking of the previous one are on the
// wire together; the same Message-ID twice within a chunk and across
// chunks. Every copy of ours ends marked, each Message-ID is fetched and
// committed once, unrelated mail keeps its flags.
func TestPipelinedChunks(t *testing.T) {
	hs := newHarness(t)
	var ids []string // ours, one entry per copy
	unique := map[string]bool{}
	twice, across := uniq("twice"), uniq("across")
	for i := 0; i < 23; i++ {
		switch {
		case i == 4 || i == 5: // same chunk (UIDs 4-6 with ChunkSize 3)
			hs.appendMsg(fmt.Sprintf("%s kembar %d", ours, i), twice)
			ids = append(ids, twice)
		case i == 7 || i == 16:
			hs.appendMsg(fmt.Sprintf("%s lintas %d", ours, i), across)
			ids = append(ids, across)
		case i%3 == 1:
			id := uniq(fmt.Sprintf("ours%d", i))
			hs.appendMsg(fmt.Sprintf("%s nomor %d", ours, i), id)
			ids = append(ids, id)
		case i%2 == 0:
			hs.appendMsg(fmt.Sprintf("dibaca %d", i), uniq("seen"), imap.FlagSeen)
		default:
			hs.appendMsg(fmt.Sprintf("biasa %d", i), uniq("plain"))
		}
	}
	for _, id := range ids {
		unique[id] = true
	}
	before := hs.flags("INBOX")
	hs.start(func(o *Options) { o.ChunkSize = 3 })
	got := hs.waitProcessed(len(ids))
	rep := hs.waitSynced(23)
	dups := 0
	for _, p := range got {
		if !p.Marked {
			t.Errorf("not marked: %+v", p)
		}
		if p.Duplicate {
			dups++
		}
	}
	if dups != len(ids)-len(unique) {
		t.Errorf("%d duplicates reported, want %d", dups, len(ids)-len(unique))
	}
	if rep.Headers != 23 || rep.Wanted != len(ids) {
		t.Errorf("sync %+v, want 23 headers, %d wanted", rep, len(ids))
	}
	if n := hs.wire.count(wholeMessages); n != len(unique) {
		t.Errorf("%d whole-message fetches, want %d", n, len(unique))
	}
	if _, _, c := hs.h.stats(); len(c) != len(unique) {
		t.Errorf("%d commits, want %d", len(c), len(unique))
	}

	// New mail while watching takes the SEARCH path, chunked the same way.
	more := []string{uniq("more1"), uniq("more2"), uniq("more3"), uniq("more4")}
	for i, id := range more {
		hs.appendMsg(fmt.Sprintf("%s tambahan %d", ours, i), id)
		hs.appendMsg(fmt.Sprintf("lain %d", i), uniq("other"))
	}
	for range hs.waitProcessed(len(more)) {
	}
	hs.stop()
	after := hs.flags("INBOX")
	kw := strings.ToLower(keyword)
	for id, f := range after {
		want, isOld := before[id]
		switch {
		case unique[id] || strings.HasPrefix(id, "more"):
			want = strings.TrimSpace(kw + " " + want)
		case !isOld:
			want = "" // other mail added later
		}
		if f != want {
			t.Errorf("%s: flags %q, want %q", id, f, want)
		}
	}
}

// TestHandlerErrorMidChunk: the Handler fails on one message in the middle
// of a chunk's bodies. The session ends; after the reconnect what was
// committed is recognised without fetching it again, the failed message
// is applied, and everything ends marked once.
func TestHandlerErrorMidChunk(t *testing.T) {
	hs := newHarness(t)
	var ids []string
	for i := 0; i < 6; i++ {
		id := uniq(fmt.Sprintf("ours%d", i))
		hs.appendMsg(fmt.Sprintf("%s nomor %d", ours, i), id)
		hs.appendMsg(fmt.Sprintf("biasa %d", i), uniq("plain"))
		ids = append(ids, id)
	}
	var failed atomic.Bool
	hs.h.beforeCommit = func(m *Message) error {
		if m.Header.MessageID == ids[3] && failed.CompareAndSwap(false, true) {
			return errors.New("database is locked")
		}
		return nil
	}
	hs.start(func(o *Options) { o.ChunkSize = 100 })
	got := hs.waitProcessed(len(ids))
	hs.waitConnected()
	hs.waitConnected() // after the failure
	seen := map[string]int{}
	for _, p := range got {
		seen[p.MessageID]++
		if !p.Marked {
			t.Errorf("not marked: %+v", p)
		}
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s reported %d times", id, seen[id])
		}
	}
	_, calls, commits := hs.h.stats()
	if len(commits) != len(ids) || calls != len(ids)+1 {
		t.Errorf("%d Process calls, %d commits; want %d, %d", calls, len(commits), len(ids)+1, len(ids))
	}
	// The attempt that failed is forgotten once the message was applied.
	hs.st.View(context.Background(), func(tx *store.Tx) error {
		if f, err := tx.Failures(true, 10); len(f) != 0 || err != nil {
			t.Errorf("failure rows after success: %+v %v", f, err)
		}
		return nil
	})
	// Three bodies before the failure (committed, not fetched again), the
	// failed one and the two after it twice.
	if n := hs.wire.count(wholeMessages); n != len(ids)+3 {
		t.Errorf("%d whole-message fetches, want %d", n, len(ids)+3)
	}
	hs.stop()
	kw := strings.ToLower(keyword)
	for id, f := range hs.flags("INBOX") {
		want := ""
		if strings.HasPrefix(id, "ours") {
			want = kw
		}
		if f != want {
			t.Errorf("%s: flags %q, want %q", id, f, want)
		}
	}
}

// wantedFails fails Wanted once for one Message-ID.
type wantedFails struct {
	*fakeHandler
	id     string
	failed atomic.Bool
}

func (h *wantedFails) Wanted(ctx context.Context, hd Header) (bool, error) {
	if hd.MessageID == h.id && h.failed.CompareAndSwap(false, true) {
		return false, errors.New("rules not loaded")
	}
	return h.fakeHandler.Wanted(ctx, hd)
}

// TestWantedErrorMidChunk: Wanted fails while later chunks are already
// requested; the watcher reconnects and applies everything once.
func TestWantedErrorMidChunk(t *testing.T) {
	hs := newHarness(t)
	var ids []string
	for i := 0; i < 5; i++ {
		id := uniq(fmt.Sprintf("ours%d", i))
		hs.appendMsg(fmt.Sprintf("%s nomor %d", ours, i), id)
		hs.appendMsg(fmt.Sprintf("biasa %d", i), uniq("plain"))
		ids = append(ids, id)
	}
	wf := &wantedFails{fakeHandler: hs.h, id: ids[2]}
	hs.start(func(o *Options) { o.ChunkSize = 2; o.Handler = wf })
	got := hs.waitProcessed(len(ids))
	if !wf.failed.Load() {
		t.Fatal("Wanted never failed")
	}
	seen := map[string]int{}
	for _, p := range got {
		seen[p.MessageID]++
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s reported %d times", id, seen[id])
		}
	}
	if _, _, c := hs.h.stats(); len(c) != len(ids) {
		t.Errorf("%d commits, want %d", len(c), len(ids))
	}
	if n := hs.wire.count(wholeMessages); n != len(ids) {
		t.Errorf("%d whole-message fetches, want %d", n, len(ids))
	}
}
