package mailin

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// clock stands in for the wall clock in retry waits: a wait of an hour
// or more (RetryBase below) is recorded and over at once; the short
// reconnect waits run as usual.
type clock struct {
	mu      sync.Mutex
	waits   []time.Duration
	block   bool          // retry waits never end
	blocked chan struct{} // if set, told of each blocked wait
}

func (c *clock) after(d time.Duration) <-chan time.Time {
	if d < 30*time.Minute {
		return time.After(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	switch {
	case !c.block:
		ch <- time.Time{}
	case c.blocked != nil:
		select {
		case c.blocked <- struct{}{}:
		default:
		}
	}
	return ch
}

func (c *clock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// logBuf collects log lines across goroutines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) lines(substr string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.b.String(), "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return out
}

// quarantineHarness starts a watcher whose quarantines arrive on the
// returned channel, with retry waits on clk.
func quarantineHarness(hs *harness, clk *clock, logs *logBuf, maxAttempts int) chan Quarantined {
	q := make(chan Quarantined, 100)
	hs.start(func(o *Options) {
		o.OnQuarantine = func(x Quarantined) { q <- x }
		o.RetryBase, o.RetryMax = time.Hour, 8*time.Hour
		o.After = clk.after
		o.IMAP.MaxAttempts = maxAttempts
		if logs != nil {
			o.Log = slog.New(slog.NewTextHandler(logs, nil))
		}
	})
	return q
}

func waitQuarantined(t *testing.T, hs *harness, q chan Quarantined) Quarantined {
	t.Helper()
	select {
	case x := <-q:
		return x
	case <-time.After(hs.env.Timeout):
		t.Fatal("nothing quarantined")
	}
	return Quarantined{}
}

func failures(t *testing.T, st *store.Store) []store.Failure {
	t.Helper()
	var f []store.Failure
	err := st.View(context.Background(), func(tx *store.Tx) (err error) { f, err = tx.Failures(true, 100); return })
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPoisonQuarantined: a message the Handler can never process comes
// before a genuine reply. The poison is quarantined at its first attempt
// (recorded, keyworded, reported) and the reply is applied in the same
// session; neither the poison nor a later copy of it is fetched again.
func TestPoisonQuarantined(t *testing.T) {
	hs := newHarness(t)
	poison, genuine := uniq("poison"), uniq("genuine")
	hs.appendMsg(ours+" racun", poison)
	hs.appendMsg(ours+" SETUJU", genuine)
	hs.h.beforeCommit = func(m *Message) error {
		if m.Header.MessageID == poison {
			return Permanent(errors.New("attachment 2: illegal base64 data at input byte 4"))
		}
		return nil
	}
	clk := &clock{}
	q := quarantineHarness(hs, clk, nil, 5)
	x := waitQuarantined(t, hs, q)
	got := hs.waitProcessed(1)
	if rep := hs.waitSynced(2); rep.Quarantined != 1 || rep.Bodies != 2 || rep.LastUID != 2 {
		t.Errorf("sync %+v", rep)
	}
	if x.MessageID != poison || !x.Permanent || x.Attempts != 1 || x.From != "kabag@example.go.id" || !strings.Contains(x.Err, "base64") {
		t.Errorf("quarantined %+v", x)
	}
	if got[0].MessageID != genuine || got[0].Duplicate || !got[0].Marked {
		t.Errorf("processed %+v", got[0])
	}
	t.Logf("genuine reply committed %v after the poison was quarantined", got[0].Committed.Sub(x.At))
	hs.waitConnected()
	select {
	case <-hs.connected:
		t.Error("the poison ended the session")
	default:
	}
	if w := clk.recorded(); len(w) != 0 {
		t.Errorf("retry waits for a permanent error: %v", w)
	}

	// A copy of the poison (same Message-ID) and a new reply: the copy is
	// recognised without fetching its body.
	hs.appendMsg(ours+" racun lagi", poison)
	again := uniq("again")
	hs.appendMsg(ours+" SETUJU lagi", again)
	if got := hs.waitProcessed(1); got[0].MessageID != again {
		t.Errorf("processed %+v", got[0])
	}
	hs.stop()
	hs.start(nil) // a restart does not look at the poison again either
	hs.waitSynced(0)
	hs.stop()
	if n := hs.wire.count(wholeMessages); n != 3 {
		t.Errorf("%d whole-message fetches, want 3 (poison once, two replies)", n)
	}
	if _, calls, _ := hs.h.stats(); calls != 3 {
		t.Errorf("%d Process calls, want 3", calls)
	}
	f := failures(t, hs.st)
	if len(f) != 1 || !f[0].Quarantined || f[0].MessageID != poison || f[0].UID != 1 || f[0].Subject != ours+" racun" {
		t.Errorf("quarantine rows %+v", f)
	}
	flags := hs.flags("INBOX")
	if flags[poison] != strings.ToLower(QuarantineKeyword) || flags[genuine] != strings.ToLower(keyword) {
		t.Errorf("flags %q", flags)
	}
}

// TestTransientRetriedThenQuarantined: a Handler that fails with a
// transient error is retried after growing waits, with a log line each
// time, and the message is quarantined after max_attempts; the reply after
// it is then applied.
func TestTransientRetriedThenQuarantined(t *testing.T) {
	hs := newHarness(t)
	stuck, genuine := uniq("stuck"), uniq("genuine")
	hs.appendMsg(ours+" macet", stuck)
	hs.appendMsg(ours+" SETUJU", genuine)
	hs.h.beforeCommit = func(m *Message) error {
		if m.Header.MessageID == stuck {
			return errors.New("write blob: no space left on device")
		}
		return nil
	}
	clk, logs := &clock{}, &logBuf{}
	q := quarantineHarness(hs, clk, logs, 3)
	x := waitQuarantined(t, hs, q)
	got := hs.waitProcessed(1)
	if x.MessageID != stuck || x.Permanent || x.Attempts != 3 || !strings.Contains(x.Err, "no space") {
		t.Errorf("quarantined %+v", x)
	}
	if got[0].MessageID != genuine {
		t.Errorf("processed %+v", got[0])
	}
	// Backoff(n, 1h, 8h): [30m, 1h] then [1h, 2h].
	w := clk.recorded()
	if len(w) != 2 || w[0] < 30*time.Minute || w[0] > time.Hour || w[1] < time.Hour || w[1] > 2*time.Hour {
		t.Errorf("retry waits %v", w)
	}
	lines := logs.lines("message failed; retrying")
	if len(lines) != 2 {
		t.Fatalf("retry log lines: %q", lines)
	}
	for i, l := range lines {
		for _, want := range []string{"uid=1", "attempt=" + string(rune('1'+i)), "next_try=", "no space left"} {
			if !strings.Contains(l, want) {
				t.Errorf("log line %q lacks %q", l, want)
			}
		}
	}
	if _, calls, _ := hs.h.stats(); calls != 4 {
		t.Errorf("%d Process calls, want 3 for the stuck message and 1 for the reply", calls)
	}
	if f := failures(t, hs.st); len(f) != 1 || !f[0].Quarantined || f[0].Attempts != 3 {
		t.Errorf("quarantine rows %+v", f)
	}
}

// TestAttemptsSurviveRestart: the count of failed attempts is in the store,
// so a watcher restarted between attempts goes on counting.
func TestAttemptsSurviveRestart(t *testing.T) {
	hs := newHarness(t)
	stuck := uniq("stuck")
	hs.appendMsg(ours+" macet", stuck)
	hs.h.beforeCommit = func(m *Message) error { return errors.New("database is locked") }
	clk := &clock{block: true, blocked: make(chan struct{}, 1)}
	q := quarantineHarness(hs, clk, nil, 3)
	select {
	case <-clk.blocked: // the first attempt failed and its retry waits
	case <-time.After(hs.env.Timeout):
		t.Fatal("the first attempt never failed into a retry wait")
	}
	hs.stop()
	if f := failures(t, hs.st); len(f) != 1 || f[0].Attempts != 1 || f[0].Quarantined {
		t.Fatalf("after one attempt: %+v", f)
	}
	clk.block = false
	q = quarantineHarness(hs, clk, nil, 3)
	if x := waitQuarantined(t, hs, q); x.Attempts != 3 {
		t.Errorf("quarantined %+v", x)
	}
	if _, calls, _ := hs.h.stats(); calls != 3 {
		t.Errorf("%d Process calls over both runs, want 3", calls)
	}
}

// poisonHeader fails Wanted permanently for one Message-ID.
type poisonHeader struct {
	*fakeHandler
	id string
}

func (p poisonHeader) Wanted(ctx context.Context, h Header) (bool, error) {
	if h.MessageID == p.id {
		return false, Permanent(errors.New("header over the limit"))
	}
	return p.fakeHandler.Wanted(ctx, h)
}

// TestWantedPermanentQuarantined: a permanent error deciding on the
// headers quarantines the message without fetching its body.
func TestWantedPermanentQuarantined(t *testing.T) {
	hs := newHarness(t)
	poison, genuine := uniq("poison"), uniq("genuine")
	hs.appendMsg(ours+" racun", poison)
	hs.appendMsg(ours+" SETUJU", genuine)
	// The reply fails once: the session ends before the cursor passes
	// the poison, whose headers are read and refused again.
	failedOnce := false
	hs.h.beforeCommit = func(m *Message) error {
		if !failedOnce {
			failedOnce = true
			return errors.New("database is locked")
		}
		return nil
	}
	q := make(chan Quarantined, 10)
	hs.start(func(o *Options) {
		o.Handler = poisonHeader{hs.h, poison}
		o.OnQuarantine = func(x Quarantined) { q <- x }
	})
	if x := waitQuarantined(t, hs, q); x.MessageID != poison || !x.Permanent {
		t.Errorf("quarantined %+v", x)
	}
	if got := hs.waitProcessed(1); got[0].MessageID != genuine {
		t.Errorf("processed %+v", got[0])
	}
	hs.stop()
	if len(q) != 0 {
		t.Errorf("the poison was reported %d more times", len(q))
	}
	if n := hs.wire.count(wholeMessages); n != 2 {
		t.Errorf("%d whole-message fetches, want 2 (the reply, twice)", n)
	}
	if f := hs.flags("INBOX"); f[poison] != strings.ToLower(QuarantineKeyword) {
		t.Errorf("poison flags %q", f[poison])
	}
}

func TestPermanentWraps(t *testing.T) {
	base := errors.New("bad")
	err := Permanent(base)
	if !IsPermanent(err) || !errors.Is(err, base) || err.Error() != "bad" {
		t.Errorf("Permanent(%v) = %v", base, err)
	}
	if wrapped := errors.Join(errors.New("x"), err); !IsPermanent(wrapped) {
		t.Error("a wrapped permanent error is not permanent")
	}
	if IsPermanent(base) || Permanent(nil) != nil {
		t.Error("plain errors are transient; Permanent(nil) is nil")
	}
}

// TestHandlerPanicQuarantined: a message that makes the Handler panic
// mid-transaction is quarantined like a permanent error; the store is
// usable afterwards and the next reply is applied.
func TestHandlerPanicQuarantined(t *testing.T) {
	hs := newHarness(t)
	poison, genuine := uniq("panic"), uniq("genuine")
	hs.appendMsg(ours+" racun", poison)
	hs.appendMsg(ours+" SETUJU", genuine)
	hs.h.beforeCommit = func(m *Message) error {
		if m.Header.MessageID == poison {
			hs.st.Update(context.Background(), func(tx *store.Tx) error {
				tx.SetCursor("elsewhere", 1, 1)
				panic("index out of range [3] with length 3")
			})
		}
		return nil
	}
	q := quarantineHarness(hs, &clock{}, nil, 5)
	if x := waitQuarantined(t, hs, q); x.MessageID != poison || !x.Permanent || !strings.Contains(x.Err, "index out of range") {
		t.Errorf("quarantined %+v", x)
	}
	if got := hs.waitProcessed(1); got[0].MessageID != genuine {
		t.Errorf("processed %+v", got[0])
	}
	hs.st.View(context.Background(), func(tx *store.Tx) error {
		if v, _, _ := tx.Cursor("elsewhere"); v != 0 {
			t.Error("the panicking transaction was committed")
		}
		return nil
	})
}

// TestQuarantineKeywordRefused: a server that stores no keywords still
// gets the poison quarantined (the store row is the record) and is sent
// no STORE.
func TestQuarantineKeywordRefused(t *testing.T) {
	hs := newHarness(t)
	hs.wire.rewrite = func(p []byte) {
		if i := bytes.Index(p, []byte("PERMANENTFLAGS")); i >= 0 {
			copy(p[i:], bytes.ReplaceAll(p[i:], []byte(`\*`), []byte(`\X`)))
		}
	}
	poison, genuine := uniq("poison"), uniq("genuine")
	hs.appendMsg(ours+" racun", poison)
	hs.appendMsg(ours+" SETUJU", genuine)
	hs.h.beforeCommit = func(m *Message) error {
		if m.Header.MessageID == poison {
			return Permanent(errors.New("malformed"))
		}
		return nil
	}
	q := quarantineHarness(hs, &clock{}, nil, 5)
	waitQuarantined(t, hs, q)
	hs.waitProcessed(1)
	hs.stop()
	if n := hs.wire.count("STORE"); n != 0 {
		t.Errorf("sent STORE %d times", n)
	}
	if f := failures(t, hs.st); len(f) != 1 || !f[0].Quarantined {
		t.Errorf("rows %+v", f)
	}
	if f := hs.flags("INBOX"); f[poison] != "" {
		t.Errorf("poison flags %q", f[poison])
	}
}

// TestStoreDownNotCounted: when the store cannot even record the failure
// (a trigger plays a full disk), the message is neither counted nor
// quarantined, and the watcher waits longer each time instead of
// reconnecting at once; once the store is back the message is applied.
func TestStoreDownNotCounted(t *testing.T) {
	hs := newHarness(t)
	id := uniq("stuck")
	hs.appendMsg(ours+" macet", id)
	db, err := sql.Open("sqlite", hs.st.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER full BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	down := true
	hs.h.beforeCommit = func(m *Message) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return errors.New("write blob: no space left on device")
		}
		return nil
	}
	var waits []time.Duration
	hs.start(func(o *Options) {
		o.RetryBase, o.RetryMax = time.Hour, 8*time.Hour
		o.IMAP.MaxAttempts = 1 // would quarantine at once, if counted
		o.After = func(d time.Duration) <-chan time.Time {
			if d < 30*time.Minute {
				return time.After(d)
			}
			mu.Lock()
			defer mu.Unlock()
			if waits = append(waits, d); len(waits) == 3 {
				down = false
				if _, err := db.Exec("DROP TRIGGER full"); err != nil {
					t.Error(err)
				}
			}
			ch := make(chan time.Time, 1)
			ch <- time.Time{}
			return ch
		}
	})
	if got := hs.waitProcessed(1); got[0].MessageID != id {
		t.Errorf("processed %+v", got[0])
	}
	mu.Lock()
	defer mu.Unlock()
	// Backoff(n, 1h, 8h) for n = 1, 2, 3.
	if len(waits) != 3 || waits[0] > time.Hour || waits[1] < time.Hour || waits[2] < 2*time.Hour {
		t.Errorf("waits %v", waits)
	}
	if f := failures(t, hs.st); len(f) != 0 {
		t.Errorf("rows %+v", f)
	}
}
