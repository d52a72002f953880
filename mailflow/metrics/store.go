package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

var (
	descRuns    = prometheus.NewDesc("mailflow_runs", "Runs by status.", []string{"status"}, nil)
	descOverdue = prometheus.NewDesc("mailflow_steps_overdue", "Active steps of open runs past their Mutu Baku deadline.", nil, nil)
	descOutbox  = prometheus.NewDesc("mailflow_outbox_mails", "Outbox rows by status.", []string{"status"}, nil)
	descAge     = prometheus.NewDesc("mailflow_outbox_oldest_pending_age_seconds", "Age of the oldest pending mail that is due or was tried (mail held for working hours is not counted; 0: none).", nil, nil)
	descIMAPUp  = prometheus.NewDesc("mailflow_imap_up", "1 while the IMAP session is connected.", nil, nil)
	descIMAPOK  = prometheus.NewDesc("mailflow_imap_last_sync_timestamp_seconds", "When the IMAP session last completed a pass over the mailbox.", nil, nil)
	descSMTPOK  = prometheus.NewDesc("mailflow_smtp_last_success_timestamp_seconds", "When the SMTP server last accepted a mail.", nil, nil)
	descScrape  = prometheus.NewDesc("mailflow_store_scrape_error", "1 when the store could not be read for this scrape.", nil, nil)
)

// storeCollector reads the gauges from the store at scrape time.
type storeCollector struct{ m *Metrics }

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRuns, descOverdue, descOutbox, descAge, descIMAPUp, descIMAPOK, descSMTPOK, descScrape} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	now := c.m.now()
	g := StoreGauges{}
	err := c.m.st.View(context.Background(), func(tx *store.Tx) error {
		var err error
		g, err = ReadGauges(tx, now, &c.m.due)
		return err
	})
	bad := 0.0
	if err != nil {
		bad = 1
	}
	ch <- prometheus.MustNewConstMetric(descScrape, prometheus.GaugeValue, bad)
	for _, s := range []string{flow.RunActive, flow.RunFinished, flow.RunCancelled} {
		ch <- prometheus.MustNewConstMetric(descRuns, prometheus.GaugeValue, float64(g.Runs[s]), s)
	}
	ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(g.Overdue))
	for _, s := range []string{store.OutPending, store.OutSent, store.OutFailed, store.OutCancelled} {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(g.Outbox[s]), s)
	}
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, g.OldestPending.Seconds())
	l := c.m.Live.Snapshot()
	up := 0.0
	if l.IMAPUp {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(descIMAPUp, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(descIMAPOK, prometheus.GaugeValue, unix(l.IMAPLastSync))
	ch <- prometheus.MustNewConstMetric(descSMTPOK, prometheus.GaugeValue, unix(l.SMTPLastOK))
}

func unix(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}

// StoreGauges are the store-derived numbers.
type StoreGauges struct {
	Runs          map[string]int
	Overdue       int
	Outbox        map[string]int
	OldestPending time.Duration
}

// ReadGauges reads the gauges in one transaction. due, when not nil,
// keeps each open run's active deadlines by its event count, so that a
// run is decoded again only after it changed.
func ReadGauges(tx *store.Tx, now time.Time, due *DueCache) (StoreGauges, error) {
	g := StoreGauges{Outbox: map[string]int{}}
	var err error
	if g.Runs, err = tx.RunCounts(); err != nil {
		return g, err
	}
	stats, err := tx.OutboxStats()
	if err != nil {
		return g, err
	}
	for _, s := range stats {
		g.Outbox[s.Status] = s.Count
	}
	oldest, err := tx.OldestWaiting(now)
	if err != nil {
		return g, err
	}
	if !oldest.IsZero() {
		g.OldestPending = max(now.Sub(oldest), 0)
	}
	runs, err := tx.Runs(flow.RunActive)
	if err != nil {
		return g, err
	}
	if due == nil {
		due = &DueCache{}
	}
	due.mu.Lock()
	defer due.mu.Unlock()
	if due.m == nil {
		due.m = map[string]dueEntry{}
	}
	seen := make(map[string]bool, len(runs))
	for _, ri := range runs {
		seen[ri.ID] = true
		e, ok := due.m[ri.ID]
		if !ok || e.seq != ri.Seq {
			r, err := tx.LoadRun(ri.ID)
			if err != nil {
				return g, err
			}
			e = dueEntry{seq: r.Seq}
			for _, s := range r.Steps {
				if s.Status == flow.StepActive && !s.DueAt.IsZero() {
					e.dues = append(e.dues, s.DueAt)
				}
			}
			due.m[ri.ID] = e
		}
		for _, d := range e.dues {
			if now.After(d) {
				g.Overdue++
			}
		}
	}
	for id := range due.m {
		if !seen[id] {
			delete(due.m, id)
		}
	}
	return g, nil
}

// DueCache remembers open runs' active deadlines between scrapes.
type DueCache struct {
	mu sync.Mutex
	m  map[string]dueEntry
}

type dueEntry struct {
	seq  int64
	dues []time.Time
}
