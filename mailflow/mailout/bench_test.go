package mailout_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// BenchmarkEffectToAccepted measures, per run started, the time from the
// engine's commit of the assignment (Handle returned) to the SMTP server
// accepting it, with the worker running and woken by engine.Notify, over
// loopback. Reports p50/p99 in ms.
//
//	go test ./mailflow/mailout -run '^$' -bench EffectToAccepted -benchtime 500x
func BenchmarkEffectToAccepted(b *testing.B) {
	e := newEnv(b)
	e.eng.Now = time.Now
	opt := e.options()
	opt.Now = time.Now
	w := e.worker(opt)
	e.eng.Notify = w.Kick
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tok := token.New()
		_, err := e.eng.Handle(ctx, flow.Event{Type: flow.EvStart, At: time.Now(), RunID: tok[:10], Token: tok, SOP: "lakip",
			Title: "LAKIP Tahun 2023", From: "kepala@dinsospmd.bangkatengahkab.go.id"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		r := e.smtp.wait(b)
		lat = append(lat, r.At.Sub(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkDrain1000 measures how long 1,000 queued mails (rendered,
// composed, submitted over one kept connection, each attempt committed
// before the try and the success after) take to drain.
//
//	go test ./mailflow/mailout -run '^$' -bench Drain1000 -benchtime 3x
func BenchmarkDrain1000(b *testing.B) {
	base := sample(b, flow.TplTask)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newEnv(b)
		for _, a := range base.Attachments {
			e.putBlob(a)
		}
		ms := make([]*flow.Mail, 1000)
		for j := range ms {
			m := *base
			m.MessageID = fmt.Sprintf("mf.%s.s2.%d@bench.test", samples0, j+1)
			ms[j] = &m
		}
		e.enqueue(ms...)
		w := e.worker(e.options())
		b.StartTimer()
		t0 := time.Now()
		e.drain(w)
		d := time.Since(t0)
		b.StopTimer()
		if n := len(e.smtp.messages()); n != 1000 {
			b.Fatalf("server got %d", n)
		}
		b.ReportMetric(d.Seconds(), "s/1000msgs")
		b.ReportMetric(1000/d.Seconds(), "msgs/s")
	}
}

const samples0 = "abcdefghijklmnopqrst"

// BenchmarkFanOut measures the hand-off for the LAST recipient of a
// fan-out: from the commit of the Kasubag Perencanaan's step-3 reply
// (Handle returned) to the SMTP server accepting the last of step 4's six
// assignments. conns=1 is the old way (one connection, one mail after the
// other), conns=3 the default pool. delay is how long the server takes to
// accept each DATA (0: loopback go-smtp; 50ms: a queueing server such as
// Postfix, whose per-mail time made the sixth arrive 1.7 s after the
// reply). Compare the ratios within one run.
//
//	go test ./mailflow/mailout -run '^$' -bench FanOut -benchtime 20x
func BenchmarkFanOut(b *testing.B) {
	for _, delay := range []time.Duration{0, 50 * time.Millisecond} {
		for _, conns := range []int{1, 3, 6} {
			b.Run(fmt.Sprintf("delay=%s/conns=%d", delay, conns), func(b *testing.B) { benchFanOut(b, delay, conns) })
		}
	}
}

func benchFanOut(b *testing.B, delay time.Duration, conns int) {
	e := newEnv(b)
	e.smtp.delay = delay
	e.eng.Now = time.Now
	opt := e.options()
	opt.Now, opt.Conns = time.Now, conns
	w := e.worker(opt)
	e.eng.Notify = w.Kick
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	dom := "@dinsospmd.bangkatengahkab.go.id"
	handle := func(ev flow.Event) {
		if _, err := e.eng.Handle(ctx, ev, nil); err != nil {
			b.Fatal(err)
		}
	}
	// await reads accepted mail until n of this run's step mails arrived.
	await := func(tok string, step, n int) time.Time {
		var last time.Time
		for n > 0 {
			r := e.smtp.wait(b)
			if h := string(r.Data); strings.Contains(h, tok+"; step="+strconv.Itoa(step)+";") && strings.Contains(h, "kind=assign") {
				n--
				last = r.At
			}
		}
		return last
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tok := token.New()
		run := tok[:10]
		handle(flow.Event{Type: flow.EvStart, At: time.Now(), RunID: run, Token: tok, SOP: "lakip", Title: "LAKIP Tahun 2023", From: "kepala" + dom})
		await(tok, 2, 1)
		handle(flow.Event{Type: flow.EvReply, At: time.Now(), RunID: run, From: "sekretaris" + dom, Command: flow.CmdDone, Step: 2})
		await(tok, 3, 1)
		b.StartTimer()
		handle(flow.Event{Type: flow.EvReply, At: time.Now(), RunID: run, From: "perencanaan" + dom, Command: flow.CmdDone, Step: 3})
		t0 := time.Now()
		last := await(tok, 4, 6)
		lat = append(lat, last.Sub(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "last-p50-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "last-max-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkOutageRecovery measures, over real SMTP on loopback with the
// default probe schedule, the time from the end of a submission server
// outage to the last held mail accepted. Five mails are queued as the
// outage begins and one more at each fifth of it, so their own retries
// (1, 2, 4… minutes) fall anywhere, one just before the end. The outage
// is MAILFLOW_BENCH_OUTAGE (default 5s; the case is 3m).
//
//	MAILFLOW_BENCH_OUTAGE=3m go test ./mailflow/mailout -run '^$' -bench OutageRecovery -benchtime 1x
func BenchmarkOutageRecovery(b *testing.B) {
	outage := 5 * time.Second
	if v := os.Getenv("MAILFLOW_BENCH_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		outage = d
	}
	for i := 0; i < b.N; i++ {
		e := newEnv(b)
		e.clk.Set(time.Now())
		opt := e.options()
		opt.Now = time.Now
		opt.Jitter = nil
		w := e.worker(opt)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		base := sample(b, flow.TplStatus)
		n := 0
		queue := func(k int) {
			var ms []*flow.Mail
			for range k {
				m := *base
				n++
				m.MessageID = fmt.Sprintf("mf.%s.s4r1.%d@bench.test", samples0, n)
				ms = append(ms, &m)
			}
			e.clk.Set(time.Now())
			e.enqueue(ms...)
			w.Kick()
		}
		e.smtp.down()
		queue(5)
		for range 4 {
			time.Sleep(outage / 5)
			queue(1)
		}
		time.Sleep(outage / 5)
		if err := e.smtp.up(); err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		var last time.Time
		for range n {
			last = e.smtp.wait(b).At
		}
		cancel()
		<-done
		b.ReportMetric(last.Sub(end).Seconds(), "s-after-end")
		b.ReportMetric(float64(n), "mails")
	}
}
