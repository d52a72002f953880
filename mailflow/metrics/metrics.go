// Package metrics counts what mailflow does for Prometheus and keeps the
// live state of its mail connections for the console's health page. The
// counters are fed by the engine's, the outbox worker's and the IMAP
// watcher's observer hooks; the gauges (runs, overdue steps, outbox age)
// are read from the store at scrape time, so they are never stale and
// survive restarts.
package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
	"github.com/bangkatengah/mailflow/mailflow/mailout"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// trackMax bounds the Message-ID maps (templates, hand-offs waiting for
// their send): mail is sent within seconds, so a full map is reset rather
// than grown.
const trackMax = 10000

// Metrics is one registry and the hooks that feed it.
type Metrics struct {
	Registry *prometheus.Registry
	Live     *Live

	st  *store.Store
	env flow.Env
	now func() time.Time

	events      *prometheus.CounterVec
	sent        *prometheus.CounterVec
	retried     *prometheus.CounterVec
	failed      *prometheus.CounterVec
	replies     *prometheus.CounterVec
	reconnects  prometheus.Counter
	idleRestart prometheus.Counter
	handoff     prometheus.Histogram

	due DueCache // open runs' deadlines, decoded once per change

	mu        sync.Mutex
	templates map[string]string    // Message-ID → template
	handoffs  map[string]time.Time // Message-ID → when the reply that queued it was committed
}

// New builds the registry. st is read at scrape time; now is the clock
// (the demo accelerates it).
func New(st *store.Store, env flow.Env, version string, now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{Registry: prometheus.NewRegistry(), Live: &Live{}, st: st, env: env, now: now,
		templates: map[string]string{}, handoffs: map[string]time.Time{}}
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailflow_events_applied_total",
		Help: "Events applied to runs, by type (start, reply, tick, calendar_reply, manual, ...)."}, []string{"type"})
	m.sent = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailflow_mail_sent_total",
		Help: "Mail accepted by the SMTP server, by template."}, []string{"template"})
	m.retried = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailflow_mail_retried_total",
		Help: "Temporary delivery failures that will be retried, by template."}, []string{"template"})
	m.failed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailflow_mail_failed_total",
		Help: "Mail given up (permanent failure, retries exhausted, rate limit), by template."}, []string{"template"})
	m.replies = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailflow_replies_total",
		Help: "Incoming mail applied to runs, by kind (reply, calendar, bounce, refused, no_token) and command."}, []string{"kind", "command"})
	m.reconnects = prometheus.NewCounter(prometheus.CounterOpts{Name: "mailflow_imap_reconnects_total",
		Help: "IMAP connections lost or refused (each is followed by a reconnect attempt)."})
	m.idleRestart = prometheus.NewCounter(prometheus.CounterOpts{Name: "mailflow_imap_idle_restarts_total",
		Help: "IMAP IDLE commands ended by the watchdog to prove the connection alive."})
	m.handoff = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mailflow_handoff_seconds",
		Help:    "From a reply's commit to the next mail it caused being accepted by SMTP.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}})
	info := prometheus.NewGauge(prometheus.GaugeOpts{Name: "mailflow_build_info", Help: "Always 1; the version label says which mailflow runs.",
		ConstLabels: prometheus.Labels{"version": version}})
	info.Set(1)
	m.Registry.MustRegister(m.events, m.sent, m.retried, m.failed, m.replies, m.reconnects, m.idleRestart, m.handoff, info,
		&storeCollector{m: m}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Committed observes an engine result (engine.Engine.Observe).
func (m *Metrics) Committed(res *engine.Result) {
	for _, c := range res.Chained { // runs started by this one's Keterkaitan
		m.Committed(c)
	}
	m.events.WithLabelValues(string(res.Event)).Inc()
	if kind := replyKind(res.Event); kind != "" {
		cmd := string(res.Command)
		if cmd == "" {
			cmd = "none"
		}
		m.replies.WithLabelValues(kind, cmd).Inc()
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.templates) >= trackMax {
		clear(m.templates)
	}
	if len(m.handoffs) >= trackMax {
		clear(m.handoffs)
	}
	for _, e := range res.Effects {
		if e.Type != flow.EffSend || e.Mail == nil {
			continue
		}
		m.templates[e.Mail.MessageID] = e.Mail.Template
		// The hand-off is the next official's assignment or an answer:
		// automatic mail waits for working hours by design.
		if res.Event == flow.EvReply && !e.Mail.WaitsForHours() {
			m.handoffs[e.Mail.MessageID] = now
		}
	}
}

func replyKind(t flow.EventType) string {
	switch t {
	case flow.EvReply:
		return "reply"
	case flow.EvCalendarReply:
		return "calendar"
	case flow.EvDeliveryFailed:
		return "bounce"
	case flow.EvRefused:
		return "refused"
	case flow.EvNoToken:
		return "no_token"
	}
	return ""
}

// Mail observes an outbox attempt (mailout.Worker.Observe).
func (m *Metrics) Mail(o mailout.Outcome) {
	m.mu.Lock()
	tpl, ok := m.templates[o.MessageID]
	start, waiting := m.handoffs[o.MessageID]
	if o.Status != store.OutPending {
		delete(m.handoffs, o.MessageID)
		delete(m.templates, o.MessageID)
	}
	m.mu.Unlock()
	if !ok {
		tpl = m.templateOf(o.MessageID)
	}
	switch o.Status {
	case store.OutSent:
		m.sent.WithLabelValues(tpl).Inc()
		if waiting {
			m.handoff.Observe(o.At.Sub(start).Seconds())
		}
		m.Live.smtp(o.At, nil)
	case store.OutFailed:
		m.failed.WithLabelValues(tpl).Inc()
		m.Live.smtp(o.At, o.Err)
	default:
		m.retried.WithLabelValues(tpl).Inc()
		m.Live.smtp(o.At, o.Err)
	}
}

// templateOf reads the template of mail queued outside the engine's
// results (AdminMail) or before a restart.
func (m *Metrics) templateOf(msgID string) string {
	tpl := "unknown"
	m.st.View(context.Background(), func(tx *store.Tx) error {
		if row, err := tx.MailByMessageID(msgID); err == nil {
			tpl = row.Template
		}
		return nil
	})
	return tpl
}

// IMAPState observes the watcher's connection (mailin.Options.OnState).
func (m *Metrics) IMAPState(s mailin.State) {
	switch {
	case s.IdleRestart:
		m.idleRestart.Inc()
	case !s.Up:
		m.reconnects.Inc()
	}
	m.Live.imap(m.now(), s)
}

// IMAPSynced observes a completed catch-up pass (mailin.Options.OnSynced).
func (m *Metrics) IMAPSynced(r mailin.SyncReport) { m.Live.synced(m.now(), r) }

// IMAPProcessed observes a message of ours (mailin.Options.OnProcessed).
func (m *Metrics) IMAPProcessed(p mailin.Processed) { m.Live.processed(p) }
