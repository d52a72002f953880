package failover

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/blob"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/render"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

// nullSender accepts every mail.
type nullSender struct{}

func (nullSender) Send(_ context.Context, _ string, _ []string, msg io.WriterTo) ([]*mailout.Error, error) {
	_, err := msg.WriteTo(io.Discard)
	return nil, err
}

// BenchmarkInstances applies three offices' mailboxes (benchRuns runs
// each) with one instance watching all three, then with three instances
// watching one each, on SQLite and (with MAILFLOW_TEST_POSTGRES) on
// PostgreSQL, all in one run so that the ratios compare like with like.
// Every instance also runs its outbox worker. Reported: events/s per
// configuration, and the hand-off (an event's commit to its mail handed to
// the submission server) p50/p99 with three instances.
//
//	go test -run '^$' -bench Instances -benchtime 1x ./mailflow/failover/
func BenchmarkInstances(b *testing.B) {
	cfg, err := config.Load(configPath, config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		b.Fatal(err)
	}
	const benchRuns = 40
	offs := []string{"a", "b", "e"}
	for range b.N {
		for _, be := range storetest.Backends() {
			one, _, _ := runInstances(b, cfg, be, offs, 1, benchRuns, -1)
			three, _, _ := runInstances(b, cfg, be, offs, 3, benchRuns, -1)
			b.ReportMetric(one, be.Name+"_1inst_events/s")
			b.ReportMetric(three, be.Name+"_3inst_events/s")
			b.ReportMetric(three/one, be.Name+"_3inst/1inst")
			// Hand-off at the pace of officials (a reply every 100 ms per
			// mailbox), not under a burst's backlog.
			_, hs, _ := runInstances(b, cfg, be, offs, 3, runsPer, 100*time.Millisecond)
			if len(hs) > 0 {
				b.ReportMetric(float64(hs[len(hs)/2].Microseconds())/1000, be.Name+"_3inst_handoff_p50_ms")
				b.ReportMetric(float64(hs[len(hs)*99/100].Microseconds())/1000, be.Name+"_3inst_handoff_p99_ms")
			}
		}
	}
}

// runInstances runs n instances over offs' mailboxes (runs runs each,
// pace between messages; negative: none) and returns the events/s of the
// mailboxes' handling and the sorted hand-offs of every mail.
func runInstances(b *testing.B, cfg *config.Config, be storetest.Backend, offs []string, n, runs int, pace time.Duration) (float64, []time.Duration, int) {
	events := len(offs) * messagesOf(runs)
	loc := be.Fresh(b)
	dir := b.TempDir()
	bs, _ := blob.Open(filepath.Join(dir, "blobs"))
	sum, _, _ := bs.Put(bytes.NewReader(berkas), 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg, all sync.WaitGroup
	var stores []*store.Store
	var engs []*engine.Engine
	for range n {
		st, err := store.Open(loc, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		stores = append(stores, st)
		log := slog.New(slog.DiscardHandler)
		eng := engine.New(st, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, log)
		rnd, _ := render.New(render.Options{Office: &cfg.Office, DayMinutes: cfg.Calendar.MinutesPerDay()})
		out, err := mailout.New(mailout.Options{Store: st, Engine: eng, Renderer: rnd, Blobs: bs, Sender: nullSender{},
			Office: mailout.Office{Name: cfg.Office.Name, Mailbox: cfg.Office.Mailbox}, Log: log, Now: time.Now})
		if err != nil {
			b.Fatal(err)
		}
		eng.Notify = out.Kick
		engs = append(engs, eng)
		wg.Add(1)
		go func() { defer wg.Done(); out.Run(ctx) }()
	}
	t0 := time.Now()
	for i, o := range offs {
		eng := engs[i%n]
		l, err := eng.Store.Acquire(ctx, "mailbox:"+o, fmt.Sprint("i", i%n), time.Minute)
		if err != nil || l == nil {
			b.Fatalf("lease %s: %v", o, err)
		}
		all.Add(1)
		w := &watcher{office: o, eng: eng, sum: sum, runs: runs, pace: pace, done: all.Done}
		go w.Run(store.WithFence(ctx, l))
	}
	all.Wait()
	wall := time.Since(t0)
	var rows []store.OutboxRow
	for {
		stores[0].View(ctx, func(tx *store.Tx) (err error) { rows, err = tx.Outbox(""); return })
		pending := 0
		for _, r := range rows {
			if r.Status == store.OutPending {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	for _, st := range stores {
		st.Close()
	}
	var hs []time.Duration
	for _, r := range rows {
		hs = append(hs, r.SentAt.Sub(r.Created))
	}
	slices.Sort(hs)
	rate := float64(events) / wall.Seconds()
	fmt.Fprintf(os.Stderr, "%-8s %d instance(s), pace %v: %4d events in %v: %.0f events/s, %d mails\n", be.Name, n, pace, events, wall.Round(time.Millisecond), rate, len(rows))
	return rate, hs, len(rows)
}

func messagesOf(runs int) int {
	n := 0
	for k := range runs {
		n += 3
		if k%3 == 2 {
			n += 2
		}
	}
	return n
}
