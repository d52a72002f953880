package failover

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// driver plays both offices' officials: Andi keeps a couple of leave
// requests open per office while more is set; Bella and Candra answer
// every assignment after a short think time.
type driver struct {
	c    *imapCluster
	more atomic.Bool // start new runs as old ones finish
	// sentTo tells, without waiting, the office each answer went to, as
	// soon as the mail server accepted it.
	sentTo chan string
	queued atomic.Int64
	done   chan error

	mu        sync.Mutex
	delivered []*inMail
	sent      map[string][]string // office → Message-IDs of every mail sent to it
	requests  map[string]int
	pending   map[string]time.Time // run token → the answer awaiting its next assignment
	handoffs  []handoff
}

// handoff is one answer accepted by SMTP (from) until the run's next
// assignment arrived in an INBOX (to).
type handoff struct{ from, to time.Time }

// openRuns is how many runs each office keeps going while more is set.
const openRuns = 3

func (c *imapCluster) drive(ctx context.Context) *driver {
	d := &driver{c: c, done: make(chan error, 1), sentTo: make(chan string, 64), sent: map[string][]string{}, requests: map[string]int{}, pending: map[string]time.Time{}}
	d.more.Store(true)
	go func() { d.done <- d.loop(ctx) }()
	return d
}

func (d *driver) loop(ctx context.Context) error {
	c := d.c
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	type job struct {
		office string
		o      *official
		m      *inMail
		due    time.Time
	}
	var queue []job
	var lastCheck time.Time
	for {
		if ctx.Err() != nil {
			return fmt.Errorf("the officials gave up: %w", ctx.Err())
		}
		for _, office := range offices {
			for _, o := range c.offs[office] {
				msgs, err := o.fetchNew()
				if err != nil {
					if strings.Contains(err.Error(), "UIDVALIDITY") {
						return err
					}
					continue
				}
				d.mu.Lock()
				for _, m := range msgs {
					d.delivered = append(d.delivered, m)
					if at, ok := d.pending[m.Token]; ok && strings.HasPrefix(m.Kind, "assign_") {
						d.handoffs = append(d.handoffs, handoff{at, m.Seen})
						delete(d.pending, m.Token)
					}
					if _, _, ok := answer(m); ok && !o.answered[m.MessageID] {
						o.answered[m.MessageID] = true
						queue = append(queue, job{office, o, m, time.Now().Add(time.Duration(200+rnd.IntN(300)) * time.Millisecond)})
					}
				}
				d.mu.Unlock()
			}
		}
		for len(queue) > 0 && time.Now().After(queue[0].due) {
			j := queue[0]
			queue = queue[1:]
			body, attach, _ := answer(j.m)
			at, id, err := j.o.reply(ctx, j.m, body, attach)
			if err != nil {
				return err
			}
			select {
			case d.sentTo <- j.office:
			default:
			}
			d.mu.Lock()
			d.sent[j.office] = append(d.sent[j.office], id)
			d.pending[j.m.Token] = at
			d.mu.Unlock()
		}
		d.queued.Store(int64(len(queue)))
		if time.Since(lastCheck) > 300*time.Millisecond {
			lastCheck = time.Now()
			over := len(queue) == 0
			for _, office := range offices {
				_, fin := c.runs(office)
				d.mu.Lock()
				n := d.requests[office]
				d.mu.Unlock()
				if d.more.Load() && n-fin < openRuns {
					andi := c.offs[office][0]
					// The year names the run ("CUTI Tahun 2030"): a request
					// with an open run's title would attach to it.
					_, id, err := andi.compose(ctx, fmt.Sprintf("Permohonan cuti tahunan %d", 2030+n),
						fmt.Sprintf("Yth. Kepala Kantor,\r\n\r\nDengan hormat, saya mengajukan cuti tahunan %d.\r\n\r\nAndi", 2030+n))
					if err != nil {
						return err
					}
					d.mu.Lock()
					d.requests[office]++
					d.sent[office] = append(d.sent[office], id)
					d.mu.Unlock()
				}
				if d.more.Load() || fin < n {
					over = false
				}
			}
			if over {
				return nil
			}
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// wait stops new runs and waits until every run finished.
func (d *driver) wait(timeout time.Duration) error {
	d.more.Store(false)
	select {
	case err := <-d.done:
		return err
	case <-time.After(timeout):
		var b strings.Builder
		d.mu.Lock()
		for _, o := range offices {
			all, fin := d.c.runs(o)
			fmt.Fprintf(&b, "\n  office %s: %d requests, %d runs, %d finished", o, d.requests[o], all, fin)
		}
		fmt.Fprintf(&b, "; %d answers queued", d.queued.Load())
		d.mu.Unlock()
		return fmt.Errorf("the runs did not finish within %v:%s%s", timeout, &b, d.c.state())
	}
}

// state describes the unfinished runs and the unsent mail, for a failure.
func (c *imapCluster) state() string {
	var b strings.Builder
	for _, o := range offices {
		c.st[o].View(context.Background(), func(tx *store.Tx) error {
			runs, _ := tx.Runs("")
			for _, r := range runs {
				if r.Status == string(flow.RunFinished) {
					continue
				}
				fmt.Fprintf(&b, "\n  office %s run %s %q: %s, seq %d", o, r.ID, r.Title, r.Status, r.Seq)
				if run, err := tx.LoadRun(r.ID); err == nil && run.Cur < len(run.Steps) {
					st := run.Steps[run.Cur]
					fmt.Fprintf(&b, ", step %d %s", st.Number, st.Status)
				}
			}
			rows, _ := tx.Outbox("")
			for _, r := range rows {
				if r.Status != store.OutSent {
					fmt.Fprintf(&b, "\n  office %s outbox %s %s to %v: %s %s", o, r.MessageID, r.Template, r.Mail.To, r.Status, r.LastError)
				}
			}
			return nil
		})
	}
	return b.String()
}

// fetchLast collects what arrived after the driver stopped.
func (d *driver) fetchLast() {
	for _, office := range offices {
		for _, o := range d.c.offs[office] {
			if msgs, err := o.fetchNew(); err == nil {
				d.delivered = append(d.delivered, msgs...)
			}
		}
	}
}

// handoffStats: p50 and p99 of the hand-offs during which every mailbox
// had a live holder, and the worst one that spanned an outage (a holder
// killed or stopped, until its mailboxes were taken over).
func (d *driver) handoffStats() (n int, p50, p99 time.Duration, nOut int, worstOut time.Duration) {
	d.c.mu.Lock()
	outages := d.c.outages
	d.c.mu.Unlock()
	var calm []time.Duration
	for _, h := range d.handoffs {
		out := false
		for _, o := range outages {
			out = out || (h.from.Before(o.to) && h.to.After(o.from))
		}
		if out {
			nOut++
			worstOut = max(worstOut, h.to.Sub(h.from))
			continue
		}
		calm = append(calm, h.to.Sub(h.from))
	}
	slices.Sort(calm)
	if len(calm) > 0 {
		p50, p99 = calm[len(calm)/2], calm[min(len(calm)-1, len(calm)*99/100)]
	}
	return len(calm), p50, p99, nOut, worstOut
}
