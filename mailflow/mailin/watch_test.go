package mailin

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// TestCatchUpTwoPass: mail already in the mailbox is caught up from the
// cursor; only ours is fetched whole, and nothing else is touched.
func TestCatchUpTwoPass(t *testing.T) {
	hs := newHarness(t)
	ids := map[string]string{
		"ours1": uniq("ours1"), "ours2": uniq("ours2"), "seen-ours": uniq("seen-ours"),
		"plain": uniq("plain"), "seen": uniq("seen"), "flagged": uniq("flagged"),
	}
	hs.appendMsg("Re: "+ours+" laporan", ids["ours1"])
	hs.appendMsg("rapat hari ini", ids["plain"])
	hs.appendMsg("sudah dibaca", ids["seen"], imap.FlagSeen)
	hs.appendMsg("FW: "+ours+" disposisi", ids["ours2"])
	hs.appendMsg("penting", ids["flagged"], imap.FlagFlagged, "Urusan")
	hs.appendMsg(ours+" dibaca manusia", ids["seen-ours"], imap.FlagSeen)
	before := hs.flags("INBOX")

	hs.start(nil)
	got := hs.waitProcessed(3)
	rep := hs.waitSynced(6)
	for _, p := range got {
		if p.Duplicate || !p.Marked || p.Moved {
			t.Errorf("processed %+v", p)
		}
	}
	if rep.Headers != 6 || rep.Wanted != 3 || rep.Bodies != 3 {
		t.Errorf("sync %+v, want 6 headers, 3 wanted, 3 bodies", rep)
	}
	if n := hs.wire.count(wholeMessages); n != 3 {
		t.Errorf("%d whole-message fetches, want 3 (ours only)", n)
	}
	_, calls, commits := hs.h.stats()
	if calls != 3 || len(commits) != 3 {
		t.Errorf("%d Process calls, %d commits, want 3", calls, len(commits))
	}
	hs.stop()

	after := hs.flags("INBOX")
	for name, id := range ids {
		want := before[id]
		if strings.Contains(name, "ours") {
			want = strings.TrimSpace(want + " " + strings.ToLower(keyword))
			if name == "seen-ours" {
				want = strings.ToLower(keyword) + ` \seen`
			}
		}
		if after[id] != want {
			t.Errorf("%s: flags %q -> %q, want %q", name, before[id], after[id], want)
		}
	}

	// A restart finds nothing to do and fetches nothing again.
	wholeBefore := hs.wire.count(wholeMessages)
	hs.start(nil)
	if r := hs.waitSynced(0); r.Headers != 0 || r.Bodies != 0 {
		t.Errorf("restart sync %+v, want nothing", r)
	}
	if n := hs.wire.count(wholeMessages) - wholeBefore; n != 0 {
		t.Errorf("restart fetched %d whole messages", n)
	}
	if _, _, commits := hs.h.stats(); len(commits) != 3 {
		t.Errorf("%d commits after restart", len(commits))
	}
}

// TestIdleDelivery: new mail is announced by IDLE and handled without a
// poll; unrelated mail arriving the same way stays untouched.
func TestIdleDelivery(t *testing.T) {
	hs := newHarness(t)
	hs.start(func(o *Options) { o.IMAP.PollInterval = 1e9 * 3600 }) // polling would hide a broken IDLE
	hs.waitSynced(0)
	plain := uniq("plain")
	hs.appendMsg("makan siang?", plain)
	hs.waitSynced(1)
	id := uniq("ours")
	hs.appendMsg(ours+" balasan", id)
	got := hs.waitProcessed(1)
	if got[0].MessageID != id || !got[0].Marked {
		t.Errorf("processed %+v", got[0])
	}
	if hs.wire.count("IDLE") == 0 {
		t.Error("never used IDLE")
	}
	if hs.wire.count("NOOP") != 0 {
		t.Error("polled although IDLE is offered")
	}
	if n := hs.wire.count(wholeMessages); n != 1 {
		t.Errorf("%d whole-message fetches, want 1", n)
	}
	hs.stop()
	if f := hs.flags("INBOX"); f[plain] != "" || f[id] != strings.ToLower(keyword) {
		t.Errorf("flags %v", f)
	}
}

// TestPollWithoutIdle: a server without IDLE is polled at PollInterval.
func TestPollWithoutIdle(t *testing.T) {
	hs := newHarness(t)
	// Hide IDLE (and IMAP4rev2, which implies it) in what the server says.
	hs.wire.rewrite = func(p []byte) {
		for _, r := range [][2]string{{" IDLE", " XIDL"}, {"IMAP4rev2", "XIMAP4rv2"}, {"IMAP4REV2", "XIMAP4RV2"}} {
			for i := bytes.Index(p, []byte(r[0])); i >= 0; i = bytes.Index(p, []byte(r[0])) {
				copy(p[i:], r[1])
			}
		}
	}
	hs.start(nil)
	hs.waitSynced(0)
	id := uniq("ours")
	hs.appendMsg(ours+" polled", id)
	if got := hs.waitProcessed(1); got[0].MessageID != id {
		t.Errorf("processed %+v", got[0])
	}
	if n := hs.wire.count("IDLE"); n != 0 {
		t.Errorf("sent IDLE %d times to a server without it", n)
	}
	if hs.wire.count("NOOP") == 0 {
		t.Error("no NOOP before searching")
	}
}

// TestMoveToFolder: processed mail is marked, then moved to a folder that
// is created on first use; unrelated mail stays in the INBOX.
func TestMoveToFolder(t *testing.T) {
	hs := newHarness(t)
	id, plain := uniq("ours"), uniq("plain")
	hs.appendMsg(ours+" pindahkan", id)
	hs.appendMsg("biarkan", plain, imap.FlagSeen)
	hs.start(func(o *Options) { o.IMAP.MoveTo = "Mailflow/Selesai" })
	got := hs.waitProcessed(1)
	if !got[0].Moved || !got[0].Marked {
		t.Errorf("processed %+v", got[0])
	}
	hs.stop()
	inbox, done := hs.flags("INBOX"), hs.flags("Mailflow/Selesai")
	if len(inbox) != 1 || inbox[plain] != `\seen` {
		t.Errorf("INBOX %v", inbox)
	}
	if len(done) != 1 || done[id] != strings.ToLower(keyword) {
		t.Errorf("Mailflow/Selesai %v", done)
	}
}

// TestSameMessageIDTwice: a second copy of a processed message (forwarded
// again, delivered twice) is recognised from its headers and never fetched.
func TestSameMessageIDTwice(t *testing.T) {
	hs := newHarness(t)
	id := uniq("twice")
	hs.appendMsg(ours+" pertama", id)
	hs.start(nil)
	hs.waitProcessed(1)
	hs.appendMsg(ours+" pertama (lagi)", id)
	got := hs.waitProcessed(1)
	if !got[0].Duplicate || !got[0].Marked {
		t.Errorf("second copy %+v", got[0])
	}
	if n := hs.wire.count(wholeMessages); n != 1 {
		t.Errorf("%d whole-message fetches, want 1", n)
	}
	if _, _, c := hs.h.stats(); len(c) != 1 {
		t.Errorf("%d commits", len(c))
	}
}

// TestHumanFirst: a human reads (\Seen) or flags our message, or moves it
// away, before mailflow gets to it.
func TestHumanFirst(t *testing.T) {
	hs := newHarness(t)
	seen, flagged, moved := uniq("seen"), uniq("flagged"), uniq("moved")
	hs.appendMsg(ours+" dibaca dulu", seen, imap.FlagSeen)
	hs.appendMsg(ours+" ditandai", flagged)
	hs.appendMsg(ours+" dipindah", moved)
	c := hs.env.Dial(t, hs.acct, nil)
	if err := c.Create("Arsip", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	// Between pass 1 and pass 2, the human flags one message and moves
	// another out of the INBOX.
	hs.h.onWanted = func(h Header) {
		switch h.MessageID {
		case flagged:
			err := c.Store(imap.UIDSetNum(imap.UID(h.UID)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Close()
			if err != nil {
				t.Error(err)
			}
		case moved:
			if _, err := c.Move(imap.UIDSetNum(imap.UID(h.UID)), "Arsip").Wait(); err != nil {
				t.Error(err)
			}
		}
	}
	hs.start(nil)
	got := hs.waitProcessed(2)
	hs.waitSynced(3)
	hs.stop()
	c.Logout()
	for _, p := range got {
		if p.MessageID == moved {
			t.Errorf("processed the message the human moved away: %+v", p)
		}
	}
	f := hs.flags("INBOX")
	kw := strings.ToLower(keyword)
	want := map[string]string{seen: kw + ` \seen`, flagged: kw + ` \flagged`}
	if !maps.Equal(f, want) {
		t.Errorf("INBOX flags %v, want %v", f, want)
	}
	if a := hs.flags("Arsip"); a[moved] != "" {
		t.Errorf("moved message got flags %q", a[moved])
	}
}
