package mailin

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// dropMidBody breaks the connection halfway through a body of about size
// bytes and checks that the message is committed exactly once, after
// wantCalls calls of the Handler. With maxLen > 0 the message must be at
// most that long (to exercise the spooled path).
func dropMidBody(t *testing.T, name string, size, markers, maxLen, wantCalls int) {
	hs := newHarness(t)
	faults := hs.env.Faults(t)
	msg := mkMsg(ours+" "+name, uniq(name), size)
	// Markers all over the second half: some server write holds a whole one.
	half := len(msg) / 2
	msg = append(msg[:half:half], bytes.Repeat([]byte("CUT-HERE-PLEASE\r\n"), markers)...)
	if maxLen > 0 && len(msg) > maxLen {
		t.Fatalf("message of %d bytes is over %d", len(msg), maxLen)
	}
	hs.env.Append(t, hs.acct, "INBOX", nil, msg)
	faults.DropIMAPOn("CUT-HERE-PLEASE", 1)

	hs.start(nil)
	got := hs.waitProcessed(1)
	if got[0].Duplicate || !got[0].Marked {
		t.Errorf("processed %+v", got[0])
	}
	if faults.Counts().IMAPDrops != 1 {
		t.Fatalf("fault did not strike: %+v", faults.Counts())
	}
	_, calls, commits := hs.h.stats()
	if calls != wantCalls || len(commits) != 1 || commits[0].Size != int64(len(msg)) {
		t.Errorf("%d Process calls, commits %+v; want %d call(s), 1 commit of %d bytes", calls, commits, wantCalls, len(msg))
	}
}

// TestDropMidFetch: the connection breaks in the middle of a large body,
// which is streamed: the Handler sees a short read and commits nothing;
// after the reconnect the message is fetched again and applied once.
func TestDropMidFetch(t *testing.T) {
	dropMidBody(t, "lampiran besar", 1<<20, 1<<16, 0, 2)
}

// TestDropMidSmallBody: the same inside a body small enough to be read
// whole before Process (spoolMax): the Handler never sees the cut-off copy.
func TestDropMidSmallBody(t *testing.T) {
	dropMidBody(t, "lampiran kecil", 64<<10, 4<<10, spoolMax, 1)
}

// TestDropMidIdle: the connection breaks while idling; mail that arrives
// meanwhile is caught up after the reconnect.
func TestDropMidIdle(t *testing.T) {
	hs := newHarness(t)
	faults := hs.env.Faults(t)
	faults.DropIMAPOn("+ idling", 1)
	hs.start(nil)
	hs.waitConnected()
	hs.waitConnected() // again, after the drop
	id := uniq("after-drop")
	hs.appendMsg(ours+" setelah putus", id)
	if got := hs.waitProcessed(1); got[0].MessageID != id || got[0].Duplicate {
		t.Errorf("processed %+v", got[0])
	}
	if faults.Counts().IMAPDrops != 1 {
		t.Errorf("fault did not strike: %+v", faults.Counts())
	}
}

// TestServerRestart: the server goes away; mail delivered while it is down
// is handled once it is back, and nothing before is applied again.
func TestServerRestart(t *testing.T) {
	hs := newHarness(t)
	srv := hs.env.Embedded(t)
	first := uniq("first")
	hs.appendMsg(ours+" pertama", first)
	hs.start(nil)
	hs.waitProcessed(1)
	hs.waitConnected()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	second := uniq("second")
	if _, err := srv.Append(hs.acct.Address, "INBOX", nil, bytes.NewReader(mkMsg(ours+" kedua", second, 300))); err != nil {
		t.Fatal(err)
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	hs.waitConnected()
	if got := hs.waitProcessed(1); got[0].MessageID != second || got[0].Duplicate {
		t.Errorf("processed %+v", got[0])
	}
	if _, _, c := hs.h.stats(); len(c) != 2 {
		t.Errorf("%d commits, want 2", len(c))
	}
	if n := hs.wire.count(wholeMessages); n != 2 {
		t.Errorf("%d whole-message fetches, want 2", n)
	}
}

// TestUIDValidityChange: every UID is new; the store recognises processed
// mail by Message-ID, so it is neither applied nor fetched again.
func TestUIDValidityChange(t *testing.T) {
	hs := newHarness(t)
	srv := hs.env.Embedded(t)
	a, b, plain := uniq("a"), uniq("b"), uniq("plain")
	hs.appendMsg(ours+" a", a)
	hs.appendMsg("lain", plain, imap.FlagSeen)
	hs.appendMsg(ours+" b", b)
	hs.start(nil)
	hs.waitProcessed(2)
	if _, err := srv.ChangeUIDValidity(hs.acct.Address, "INBOX"); err != nil {
		t.Fatal(err)
	}
	c := uniq("c")
	hs.appendMsg(ours+" c", c)
	got := map[string]Processed{}
	for _, p := range hs.waitProcessed(3) {
		got[p.MessageID] = p
	}
	if !got[a].Duplicate || !got[b].Duplicate || got[c].Duplicate || !got[c].Marked {
		t.Errorf("after the change: %+v", got)
	}
	if _, _, commits := hs.h.stats(); len(commits) != 3 {
		t.Errorf("%d commits, want 3", len(commits))
	}
	if n := hs.wire.count(wholeMessages); n != 3 {
		t.Errorf("%d whole-message fetches, want 3", n)
	}
	hs.stop()
	if f := hs.flags("INBOX"); f[plain] != `\seen` {
		t.Errorf("unrelated mail's flags: %q", f[plain])
	}
}

// TestKeywordRefused: PERMANENTFLAGS without \* or the keyword: the
// message is applied, no STORE is sent, its flags stay as they were.
func TestKeywordRefused(t *testing.T) {
	hs := newHarness(t)
	hs.wire.rewrite = func(p []byte) {
		if i := bytes.Index(p, []byte("PERMANENTFLAGS")); i >= 0 {
			// Same length, so nothing else shifts.
			copy(p[i:], bytes.ReplaceAll(p[i:], []byte(`\*`), []byte(`\X`)))
		}
	}
	id := uniq("ours")
	hs.appendMsg(ours+" tanpa kata kunci", id, imap.FlagSeen)
	hs.start(nil)
	got := hs.waitProcessed(1)
	if got[0].Marked || got[0].Duplicate {
		t.Errorf("processed %+v", got[0])
	}
	if n := hs.wire.count("STORE"); n != 0 {
		t.Errorf("sent STORE %d times", n)
	}
	hs.stop()
	if f := hs.flags("INBOX"); f[id] != `\seen` {
		t.Errorf("flags %q", f[id])
	}
}

// crashHandler commits, then "crashes" before the watcher can set the
// keyword: the connection dies and the process stops.
type crashHandler struct {
	*fakeHandler
	crash func()
}

func (c crashHandler) Process(ctx context.Context, m *Message) error {
	err := c.fakeHandler.Process(ctx, m)
	c.crash()
	return err
}

// TestCrashBetweenCommitAndKeyword: the store, not the keyword, says what
// was processed; the restarted watcher only finishes the marking.
func TestCrashBetweenCommitAndKeyword(t *testing.T) {
	hs := newHarness(t)
	id := uniq("crash")
	hs.appendMsg(ours+" crash", id)
	var once sync.Once
	crashed := make(chan struct{})
	hs.start(func(o *Options) {
		o.Handler = crashHandler{hs.h, func() {
			once.Do(func() { hs.wire.cut(); close(crashed) })
		}}
		o.OnProcessed = func(p Processed) { t.Errorf("first run reported %+v", p) }
	})
	select {
	case <-crashed:
	case <-time.After(hs.env.Timeout):
		t.Fatal("never processed")
	}
	hs.stop()
	if f := hs.flags("INBOX"); f[id] != "" {
		t.Fatalf("keyword set before the crash test could observe it: %q", f[id])
	}
	hs.start(nil)
	got := hs.waitProcessed(1)
	if !got[0].Duplicate || !got[0].Marked {
		t.Errorf("after restart %+v", got[0])
	}
	if n := hs.wire.count(wholeMessages); n != 1 {
		t.Errorf("%d whole-message fetches, want 1", n)
	}
	if _, _, c := hs.h.stats(); len(c) != 1 {
		t.Errorf("%d commits", len(c))
	}
	hs.stop()
	if f := hs.flags("INBOX"); f[id] != strings.ToLower(keyword) {
		t.Errorf("flags %q", f[id])
	}
}

// TestWatchdogSilentDeath: the connection stops answering without closing
// (a NAT dropped it). The watchdog notices and the watcher reconnects.
func TestWatchdogSilentDeath(t *testing.T) {
	hs := newHarness(t)
	hs.start(func(o *Options) {
		o.Watchdog = 200 * time.Millisecond
		o.CommandTimeout = 300 * time.Millisecond
	})
	hs.waitConnected()
	hs.waitSynced(0)
	hs.wire.stallAll()
	id := uniq("silent")
	hs.appendMsg(ours+" setelah hening", id)
	hs.waitConnected()
	if got := hs.waitProcessed(1); got[0].MessageID != id {
		t.Errorf("processed %+v", got[0])
	}
}
