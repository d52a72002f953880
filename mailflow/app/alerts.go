package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/mailin"
)

// quarantineAlerts tells the admin about quarantined mail at most once per
// period: the first quarantine at once, the ones after it in one summary
// when the period is over, so that a flood of hostile mail costs one alert
// an hour.
//
// An alert is an ERROR log line and a mail to office.admin (template
// alert_quarantine), queued in the outbox outside any run and sent by the
// outbox worker at any hour. The rate limit lives in memory: a restart
// may alert at once again, and a summary still waiting is lost with the
// process (the log lines and "mailflow status" keep every message).
type quarantineAlerts struct {
	every     time.Duration
	now       func() time.Time
	afterFunc func(time.Duration, func()) // time.AfterFunc, or a test's
	send      func(n int, sample []mailin.Quarantined)

	mu        sync.Mutex
	last      time.Time // the last alert sent
	pending   []mailin.Quarantined
	scheduled bool
}

// newQuarantineAlerts logs each alert and, with eng set, mails it to the
// admin of eng's office.
func newQuarantineAlerts(log *slog.Logger, now func() time.Time, eng *engine.Engine) *quarantineAlerts {
	return &quarantineAlerts{
		every:     time.Hour,
		now:       now,
		afterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		send: func(n int, sample []mailin.Quarantined) {
			args := []any{"count", n, "hint", "mailflow status lists them; the messages stay in the mailbox with the keyword " + mailin.QuarantineKeyword}
			for i, q := range sample {
				args = append(args, slog.Group("q"+string(rune('1'+i)), "uid", q.UID, "from", q.From, "subject", q.Subject, "attempts", q.Attempts, "err", q.Err))
			}
			log.Error("ALERT: incoming mail quarantined", args...)
			if eng != nil {
				mailAlert(log, eng, n, sample)
			}
		},
	}
}

// mailAlert queues the alert mail. It runs on the watcher's goroutine (or
// the summary's timer), so it is bounded in time: a store that does not
// answer must not hold up the mailbox.
func mailAlert(log *slog.Logger, eng *engine.Engine, n int, sample []mailin.Quarantined) {
	items := make([]flow.QuarantineItem, 0, len(sample))
	for _, q := range sample {
		items = append(items, flow.QuarantineItem{At: q.At, Mailbox: q.Mailbox, UID: q.UID, MessageID: q.MessageID,
			From: q.From, Subject: q.Subject, Attempts: q.Attempts, Permanent: q.Permanent, Error: q.Err})
	}
	m := flow.QuarantineAlert(eng.Env.Office, n, items, mailin.QuarantineKeyword)
	if m == nil {
		log.Warn("no office.admin in the config: the quarantine alert is a log line only")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := eng.AdminMail(ctx, *m)
	if err != nil {
		log.Error("the quarantine alert mail could not be queued; the log line above is the alert", "err", err)
		return
	}
	log.Info("quarantine alert mailed to the admin", "to", m.To[0].Email, "message_id", id, "count", n)
}

// add records one quarantined message.
func (a *quarantineAlerts) add(q mailin.Quarantined) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending = append(a.pending, q)
	now := a.now()
	if a.last.IsZero() || now.Sub(a.last) >= a.every {
		a.flushLocked(now)
		return
	}
	if !a.scheduled {
		a.scheduled = true
		a.afterFunc(a.last.Add(a.every).Sub(now), a.flush)
	}
}

func (a *quarantineAlerts) flush() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scheduled = false
	a.flushLocked(a.now())
}

func (a *quarantineAlerts) flushLocked(now time.Time) {
	if len(a.pending) == 0 {
		return
	}
	sample := a.pending[:min(len(a.pending), flow.MaxQuarantineItems)]
	a.send(len(a.pending), append([]mailin.Quarantined(nil), sample...))
	a.pending, a.last = nil, now
}
