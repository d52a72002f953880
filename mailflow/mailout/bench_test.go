package mailout_test

import (
	"context"
	"fmt"
	"sort"
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
