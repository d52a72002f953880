package mailin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// BenchmarkIngestLatency: from APPEND until the message's commit, next to
// the server's own IDLE notify time seen by a plain idling client.
//
//	go test -run '^$' -bench IngestLatency -benchtime 1x ./mailflow/mailin/
func BenchmarkIngestLatency(b *testing.B) {
	const n = 200
	hs := newHarnessSync(b, "FULL")
	hs.start(nil)
	hs.waitSynced(0)

	exists := make(chan time.Time, 16)
	obs := hs.env.Dial(b, hs.acct, &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				exists <- time.Now()
			}
		},
	}})
	if _, err := obs.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		b.Fatal(err)
	}
	idle, err := obs.Idle()
	if err != nil {
		b.Fatal(err)
	}
	defer idle.Close()
	appender := newAppender(b, hs)

	var lat, notify []float64
	for i := 0; i < b.N; i++ {
		for j := 0; j < n; j++ {
			t0 := time.Now()
			appender(mkMsg(fmt.Sprintf("%s lat %d", ours, j), uniq("lat"), 2000))
			p := hs.waitProcessed(1)[0]
			lat = append(lat, ms(p.Committed.Sub(t0)))
			select {
			case at := <-exists:
				notify = append(notify, ms(at.Sub(t0)))
			case <-time.After(hs.env.Timeout):
				b.Fatal("observer saw no EXISTS")
			}
		}
	}
	b.ReportMetric(pct(lat, 50), "p50-ms")
	b.ReportMetric(pct(lat, 99), "p99-ms")
	b.ReportMetric(pct(notify, 50), "notify-p50-ms")
	b.ReportMetric(pct(notify, 99), "notify-p99-ms")
	b.ReportMetric(0, "ns/op")
}

// newAppender stores messages in the INBOX as the server's delivery would:
// directly into the embedded server, or by IMAP APPEND to Dovecot.
func newAppender(tb testing.TB, hs *harness) func(msg []byte) {
	if !hs.env.Real {
		srv := hs.env.Embedded(tb)
		return func(msg []byte) {
			if _, err := srv.Append(hs.acct.Address, "INBOX", nil, bytes.NewReader(msg)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	c := hs.env.Dial(tb, hs.acct, nil)
	return func(msg []byte) {
		cmd := c.Append("INBOX", int64(len(msg)), nil)
		cmd.Write(msg)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkFirstSync: a 20,000-message mailbox, 1% ours. Each side runs in
// its own process (this test binary, see TestBenchChild) so that VmHWM from
// /proc/self/status is the client's peak RSS alone:
//
//   - baseline: one plain UID FETCH 1:* of the pass-1 items;
//
//   - first:    the watcher's first sync from an empty store;
//
//   - restart:  the watcher again on the same store (nothing to do).
//
//     go test -run '^$' -bench FirstSync -benchtime 1x ./mailflow/mailin/
func BenchmarkFirstSync(b *testing.B) {
	const total, every = 20000, 100
	hs := newHarnessSync(b, "FULL")
	hs.st.Close() // the children open it
	populate(b, hs, total, every)
	dbPath := filepath.Join(b.TempDir(), "bench.db")
	for i := 0; i < b.N; i++ {
		os.Remove(dbPath)
		base := runChild(b, hs, "baseline", dbPath)
		first := runChild(b, hs, "sync", dbPath)
		again := runChild(b, hs, "sync", dbPath)
		if first.Headers != total || first.Commits != total/every || first.Bodies != total/every {
			b.Fatalf("first sync %+v", first)
		}
		if again.Headers != 0 || again.Bodies != 0 || again.WholeFetches != 0 || again.Commits != 0 {
			b.Fatalf("restart fetched again: %+v", again)
		}
		b.ReportMetric(base.Seconds, "baseline-s")
		b.ReportMetric(float64(base.HWMKB)/1024, "baseline-rss-MB")
		b.ReportMetric(first.Seconds, "sync-s")
		b.ReportMetric(first.Seconds/base.Seconds, "sync/baseline")
		b.ReportMetric(float64(first.HWMKB)/1024, "sync-rss-MB")
		b.ReportMetric(again.Seconds*1000, "restart-ms")
		b.ReportMetric(float64(again.HWMKB)/1024, "restart-rss-MB")
	}
	b.ReportMetric(0, "ns/op")
}

func populate(tb testing.TB, hs *harness, total, every int) {
	appendMsg := newAppender(tb, hs)
	if hs.env.Real {
		// Pipeline: one round trip per message would take minutes.
		c := hs.env.Dial(tb, hs.acct, nil)
		var cmds []*imapclient.AppendCommand
		for i := 0; i < total; i++ {
			msg := benchMsg(i, every)
			cmd := c.Append("INBOX", int64(len(msg)), nil)
			cmd.Write(msg)
			cmd.Close()
			cmds = append(cmds, cmd)
			if len(cmds) == 200 || i == total-1 {
				for _, cmd := range cmds {
					if _, err := cmd.Wait(); err != nil {
						tb.Fatal(err)
					}
				}
				cmds = cmds[:0]
			}
		}
		return
	}
	for i := 0; i < total; i++ {
		appendMsg(benchMsg(i, every))
	}
}

func benchMsg(i, every int) []byte {
	subject := fmt.Sprintf("surat biasa nomor %d", i)
	if i%every == every/2 {
		subject = fmt.Sprintf("%s disposisi %d", ours, i)
	}
	return mkMsg(subject, fmt.Sprintf("bench.%d.%d@test.mailflow", i, time.Now().UnixNano()), 2000)
}

// childResult is what TestBenchChild prints.
type childResult struct {
	Seconds                      float64
	HWMKB                        int64
	Headers, Bodies              int
	Commits, WholeFetches, Heads int
}

func runChild(tb testing.TB, hs *harness, mode, dbPath string) childResult {
	tb.Helper()
	args := []string{"-test.run=^TestBenchChild$", "-test.count=1"}
	if prof := os.Getenv("MAILIN_BENCH_PROFILE"); prof != "" && mode == "sync" && !exists(dbPath) {
		args = append(args, "-test.cpuprofile="+prof)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MAILIN_BENCH_CHILD="+mode, "MAILIN_BENCH_ADDR="+hs.env.IMAPAddr,
		"MAILIN_BENCH_USER="+hs.acct.Address, "MAILIN_BENCH_PASS="+hs.acct.Password, "MAILIN_BENCH_DB="+dbPath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "RESULT "); ok {
			var r childResult
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				tb.Fatal(err)
			}
			return r
		}
	}
	tb.Fatalf("child %s printed no result:\n%s", mode, out)
	return childResult{}
}

// TestBenchChild is one side of BenchmarkFirstSync, run in a child process.
func TestBenchChild(t *testing.T) {
	mode := os.Getenv("MAILIN_BENCH_CHILD")
	if mode == "" {
		t.Skip("run by BenchmarkFirstSync")
	}
	host, port, _ := strings.Cut(os.Getenv("MAILIN_BENCH_ADDR"), ":")
	p, _ := strconv.Atoi(port)
	user, pass := os.Getenv("MAILIN_BENCH_USER"), os.Getenv("MAILIN_BENCH_PASS")
	var r childResult
	start := time.Now()
	w := &wire{}
	switch mode {
	case "baseline":
		c, err := imapclient.DialInsecure(os.Getenv("MAILIN_BENCH_ADDR"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(user, pass).Wait(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		cmd := c.Fetch(imap.UIDSet{{Start: 1, Stop: 0}}, pass1Options(DefaultHeaderFields))
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			if _, err := m.Collect(); err != nil {
				t.Fatal(err)
			}
			r.Headers++
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	case "sync":
		st, err := store.Open(os.Getenv("MAILIN_BENCH_DB"), store.Options{Synchronous: os.Getenv("MAILIN_BENCH_SYNC")})
		if err != nil {
			t.Fatal(err)
		}
		h := &fakeHandler{st: st}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan SyncReport, 1)
		wt := New(Options{
			IMAP: config.IMAP{Server: config.Server{Host: host, Port: p, TLS: "none", Username: user, Password: config.Secret(pass)},
				Keyword: keyword},
			Store: st, Handler: h, Dial: w.dial,
			OnSynced: func(rep SyncReport) {
				select {
				case done <- rep:
				default:
				}
			},
		})
		go wt.Run(ctx)
		rep := <-done
		cancel()
		r.Headers, r.Bodies = rep.Headers, rep.Bodies
		_, _, commits := h.stats()
		r.Commits = len(commits)
		st.Close()
	}
	r.Seconds = time.Since(start).Seconds()
	r.HWMKB = vmHWM(t)
	r.WholeFetches, r.Heads = w.count(wholeMessages), w.count("BODY.PEEK[HEADER")
	b, _ := json.Marshal(r)
	fmt.Printf("RESULT %s\n", b)
}

// vmHWM is the process's peak resident set size in kB.
func vmHWM(t testing.TB) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb
		}
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(v []float64, p int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
