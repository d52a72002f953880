package mailin

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/mailserver"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// freshServer stands in for the embedded server of a restarted mailflow:
// a new process, empty mailboxes numbered from 1, the office account
// again. It returns the server and how to reach the account.
func freshServer(t *testing.T, above uint32, acct mailserver.Account) (*mailserver.Server, config.Server) {
	t.Helper()
	srv, err := mailserver.Start(mailserver.Options{Accounts: []mailserver.Account{acct}, UIDValidityAbove: above})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(srv.IMAPAddr())
	p, _ := strconv.Atoi(port)
	return srv, config.Server{Host: host, Port: p, TLS: "none", Username: acct.Address, Password: config.Secret(acct.Password)}
}

// processFirst runs a watcher over n messages of the first server and
// returns the stored cursor.
func processFirst(t *testing.T, hs *harness, n int) (uidValidity, last uint32) {
	t.Helper()
	hs.env.Embedded(t)
	for i := 0; i < n; i++ {
		hs.appendMsg(ours+" lama", uniq("old"))
	}
	hs.start(nil)
	hs.waitProcessed(n)
	hs.waitSynced(n) // the cursor is saved
	hs.stop()
	hs.st.View(context.Background(), func(tx *store.Tx) (err error) { uidValidity, last, err = tx.Cursor("INBOX"); return })
	if last != uint32(n) {
		t.Fatalf("cursor %d after %d messages", last, n)
	}
	return
}

// TestRenumberedSameUIDValidity: the server restarted with fewer messages
// than the cursor and the same UIDVALIDITY (an in-memory server that does
// not know better). The cursor is above UIDNEXT-1: the watcher rescans and
// applies the new mail; a message it applied before is still recognised
// by its Message-ID, although its old UID now names another message.
func TestRenumberedSameUIDValidity(t *testing.T) {
	hs := newHarness(t)
	v, _ := processFirst(t, hs, 5)
	_, _, commits := hs.h.stats()
	srv, conn := freshServer(t, 0, hs.acct)
	again := commits[0].MessageID // delivered once more, now as UID 2
	fresh := []string{uniq("new1"), uniq("new3")}
	for _, id := range []string{fresh[0], again, fresh[1]} {
		if _, err := srv.Append(hs.acct.Address, "INBOX", nil, bytes.NewReader(mkMsg(ours+" baru", id, 200))); err != nil {
			t.Fatal(err)
		}
	}
	hs.start(func(o *Options) { o.IMAP.Server = conn })
	got := map[string]Processed{}
	for _, p := range hs.waitProcessed(3) {
		got[p.MessageID] = p
	}
	rep := hs.waitSynced(0)
	if rep.UIDValidity != v {
		t.Fatalf("the fresh server has UIDVALIDITY %d, not %d: the case is not exercised", rep.UIDValidity, v)
	}
	if got[fresh[0]].Duplicate || got[fresh[1]].Duplicate || !got[again].Duplicate {
		t.Errorf("after the renumbering: %+v", got)
	}
	if _, _, c := hs.h.stats(); len(c) != 7 {
		t.Errorf("%d commits, want 5 + 2", len(c))
	}
}

// TestEmbeddedRestartNewUIDValidity: the embedded server of a restarted
// mailflow is started above the stored UIDVALIDITY, so mail that arrived
// before the watcher connected is not skipped even when there is more of
// it than the old cursor (the cursor check alone cannot see that case).
func TestEmbeddedRestartNewUIDValidity(t *testing.T) {
	hs := newHarness(t)
	v, last := processFirst(t, hs, 3)
	srv, conn := freshServer(t, v, hs.acct)
	var ids []string
	for i := uint32(0); i < last+4; i++ {
		id := uniq("new")
		ids = append(ids, id)
		if _, err := srv.Append(hs.acct.Address, "INBOX", nil, bytes.NewReader(mkMsg(ours+" baru", id, 200))); err != nil {
			t.Fatal(err)
		}
	}
	hs.start(func(o *Options) { o.IMAP.Server = conn })
	seen := map[string]bool{}
	for _, p := range hs.waitProcessed(len(ids)) {
		if p.Duplicate || p.UIDValidity == v {
			t.Errorf("processed %+v", p)
		}
		seen[p.MessageID] = true
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("%s skipped", id)
		}
	}
}
