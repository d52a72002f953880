package mailin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/internal/testmail"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

const keyword = "$MailflowDone"

// ours marks test messages the fake handler wants.
const ours = "[LAKIP]"

// fakeHandler wants messages whose subject carries ours and applies them
// with the store's real marker semantics.
type fakeHandler struct {
	st *store.Store
	// onWanted runs in Wanted before deciding: a human acting meanwhile.
	onWanted func(Header)
	// beforeCommit runs after the body was read, before the commit.
	beforeCommit func(*Message) error

	mu       sync.Mutex
	asked    int
	calls    int // Process calls
	commits  []commit
	lastSeen Header
}

type commit struct {
	UID       uint32
	MessageID string
	Size      int64
	Sum       [32]byte
}

func (f *fakeHandler) Wanted(ctx context.Context, h Header) (bool, error) {
	if f.onWanted != nil {
		f.onWanted(h)
	}
	f.mu.Lock()
	f.asked++
	f.lastSeen = h
	f.mu.Unlock()
	return strings.Contains(h.Subject, ours), nil
}

func (f *fakeHandler) Process(ctx context.Context, m *Message) error {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	sum := sha256.New()
	n, err := io.Copy(sum, m.Body)
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if n != m.Size {
		return fmt.Errorf("read %d of %d bytes", n, m.Size)
	}
	if f.beforeCommit != nil {
		if err := f.beforeCommit(m); err != nil {
			return err
		}
	}
	err = f.st.Update(ctx, func(tx *store.Tx) error {
		seen, err := tx.SeenInbound(m.Inbound())
		if err != nil {
			return err
		}
		if seen {
			return store.ErrDuplicate
		}
		return tx.MarkInbound(m.Inbound())
	})
	if err != nil {
		return err
	}
	c := commit{UID: m.UID, MessageID: m.Header.MessageID, Size: n}
	copy(c.Sum[:], sum.Sum(nil))
	f.mu.Lock()
	f.commits = append(f.commits, c)
	f.mu.Unlock()
	return nil
}

func (f *fakeHandler) stats() (asked, calls int, commits []commit) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked, f.calls, slices.Clone(f.commits)
}

// wire counts what the client sends, per command keyword, and can rewrite
// what it receives (to hide a capability, say).
type wire struct {
	mu      sync.Mutex
	counts  map[string]int
	rewrite func([]byte)
	conns   []*wireConn
}

var counted = []string{"BODY.PEEK[]", "BODY.PEEK[HEADER", "STORE", "MOVE", "IDLE", "NOOP", "SEARCH", "SELECT"}

// wholeMessages counts the messages named in whole-message fetches: one
// UID FETCH may ask for several.
const wholeMessages = "whole messages"

// countWhole counts the UIDs in the UID FETCH ... BODY.PEEK[] commands in p.
func countWhole(p []byte) int {
	n := 0
	for _, line := range bytes.Split(p, []byte("\r\n")) {
		_, rest, ok := bytes.Cut(line, []byte("UID FETCH "))
		if !ok || !bytes.Contains(rest, []byte("BODY.PEEK[]")) {
			continue
		}
		set, _, _ := bytes.Cut(rest, []byte(" "))
		for _, r := range strings.Split(string(set), ",") {
			lo, hi, isRange := strings.Cut(r, ":")
			a, _ := strconv.Atoi(lo)
			b := a
			if isRange {
				b, _ = strconv.Atoi(hi)
			}
			n += max(a, b) - min(a, b) + 1
		}
	}
	return n
}

func (w *wire) count(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.counts[key]
}

func (w *wire) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	wc := &wireConn{Conn: c, w: w}
	w.mu.Lock()
	w.conns = append(w.conns, wc)
	w.mu.Unlock()
	return wc, nil
}

// stallAll makes the open connections go silent without closing: what
// the client writes is lost, nothing more arrives.
func (w *wire) stallAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.conns {
		c.stalled.Store(true)
	}
}

// cut closes every connection the client opened, as a dead network would.
func (w *wire) cut() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.conns {
		c.Close()
	}
}

type wireConn struct {
	net.Conn
	w       *wire
	stalled atomic.Bool
}

func (c *wireConn) Write(p []byte) (int, error) {
	if c.stalled.Load() {
		return len(p), nil
	}
	c.w.mu.Lock()
	if c.w.counts == nil {
		c.w.counts = map[string]int{}
	}
	for _, k := range counted {
		c.w.counts[k] += bytes.Count(p, []byte(k))
	}
	c.w.counts[wholeMessages] += countWhole(p)
	c.w.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	for err == nil && c.stalled.Load() {
		n, err = c.Conn.Read(p) // swallowed until the client gives up
		n = 0
	}
	if c.w.rewrite != nil {
		c.w.rewrite(p[:n])
	}
	return n, err
}

// harness runs a Watcher against a fresh account.
type harness struct {
	t         testing.TB
	env       *testmail.Env
	acct      testmail.Account
	st        *store.Store
	h         *fakeHandler
	wire      *wire
	processed chan Processed
	synced    chan SyncReport
	connected chan struct{}
	stop      func()
}

func newHarness(t testing.TB) *harness {
	return newHarnessSync(t, "NORMAL")
}

// newHarnessSync sets the store's synchronous pragma: benchmarks use the
// production default, FULL.
func newHarnessSync(t testing.TB, synchronous string) *harness {
	t.Helper()
	env := testmail.Start(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "mailflow.db"), store.Options{Synchronous: synchronous})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &harness{t: t, env: env, acct: env.NewAccount(t, "office"), st: st, h: &fakeHandler{st: st}, wire: &wire{}}
}

func (hs *harness) options() Options {
	host, port, _ := net.SplitHostPort(hs.env.IMAPAddr)
	p, _ := strconv.Atoi(port)
	return Options{
		IMAP: config.IMAP{
			Server:  config.Server{Host: host, Port: p, TLS: "none", Username: hs.acct.Address, Password: config.Secret(hs.acct.Password)},
			Mailbox: "INBOX", PollInterval: 100 * time.Millisecond, Keyword: keyword,
		},
		Store: hs.st, Handler: hs.h, Log: testLog(hs.t), Dial: hs.wire.dial,
		BackoffBase: 10 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
		RetryBase: 10 * time.Millisecond, RetryMax: 200 * time.Millisecond,
	}
}

// start runs a Watcher until the test ends or hs.stop is called.
func (hs *harness) start(mod func(*Options)) {
	hs.t.Helper()
	if hs.stop != nil {
		hs.stop()
	}
	hs.processed = make(chan Processed, 1000)
	hs.synced = make(chan SyncReport, 1000)
	hs.connected = make(chan struct{}, 100)
	opt := hs.options()
	opt.OnProcessed = func(p Processed) { hs.processed <- p }
	opt.OnSynced = func(r SyncReport) { hs.synced <- r }
	opt.OnConnected = func() { hs.connected <- struct{}{} }
	if mod != nil {
		mod(&opt)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(opt).Run(ctx) }()
	var once sync.Once
	hs.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					hs.t.Errorf("run: %v", err)
				}
			case <-time.After(10 * time.Second):
				hs.t.Errorf("run did not return after cancel")
			}
		})
	}
	hs.t.Cleanup(hs.stop)
}

// waitProcessed returns the next n reports of wanted messages.
func (hs *harness) waitProcessed(n int) []Processed {
	hs.t.Helper()
	var got []Processed
	deadline := time.After(hs.env.Timeout)
	for len(got) < n {
		select {
		case p := <-hs.processed:
			got = append(got, p)
		case <-deadline:
			hs.t.Fatalf("%d of %d messages processed after %v: %+v", len(got), n, hs.env.Timeout, got)
		}
	}
	return got
}

// waitSynced waits for a catch-up pass that saw at least headers messages
// and returns it.
func (hs *harness) waitSynced(headers int) SyncReport {
	hs.t.Helper()
	deadline := time.After(hs.env.Timeout)
	for {
		select {
		case r := <-hs.synced:
			if r.Headers >= headers {
				return r
			}
		case <-deadline:
			hs.t.Fatalf("no sync with %d headers after %v", headers, hs.env.Timeout)
		}
	}
}

func (hs *harness) waitConnected() {
	hs.t.Helper()
	select {
	case <-hs.connected:
	case <-time.After(hs.env.Timeout):
		hs.t.Fatalf("not connected after %v", hs.env.Timeout)
	}
}

// appendMsg stores a message as a human's client would, returning its UID.
func (hs *harness) appendMsg(subject, id string, flags ...imap.Flag) imap.UID {
	hs.t.Helper()
	return hs.env.Append(hs.t, hs.acct, "INBOX", flags, mkMsg(subject, id, 200))
}

// flags snapshots the mailbox: Message-ID -> flags, sorted and lower-cased,
// without \Recent (a session flag that moves between connections).
func (hs *harness) flags(mailbox string) map[string]string {
	hs.t.Helper()
	out := map[string]string{}
	for _, m := range hs.env.WaitMessages(hs.t, hs.acct, mailbox, 0) {
		var fl []string
		for _, f := range m.Flags {
			if !strings.EqualFold(string(f), `\Recent`) {
				fl = append(fl, strings.ToLower(string(f)))
			}
		}
		slices.Sort(fl)
		out[strings.Trim(m.Header("Message-ID"), "<>")] = strings.Join(fl, " ")
	}
	return out
}

func mkMsg(subject, id string, bodyLen int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Kepala Bagian <kabag@example.go.id>\r\nTo: office@example.go.id\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
		subject, id, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	line := "Mohon segera ditindaklanjuti sesuai disposisi.\r\n"
	for b.Len() < bodyLen {
		b.WriteString(line)
	}
	return b.Bytes()
}

func testLog(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func uniq(prefix string) string {
	return fmt.Sprintf("%s.%d@test.mailflow", prefix, time.Now().UnixNano())
}
