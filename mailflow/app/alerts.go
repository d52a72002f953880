package app

import (
	"log/slog"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailin"
)

// quarantineAlerts tells the admin about quarantined mail at most once per
// period: the first quarantine at once, the ones after it in one summary
// when the period is over, so that a flood of hostile mail costs one alert
// an hour.
//
// The alert is an ERROR log line today: an admin mail needs a template and
// an outbox row outside any run, which the flow does not offer yet (see
// /work/notes/requests-mailin.md). send is where that mail will go.
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

// maxSample bounds how many quarantined messages an alert describes.
const maxSample = 5

func newQuarantineAlerts(log *slog.Logger, now func() time.Time) *quarantineAlerts {
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
		},
	}
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
	sample := a.pending[:min(len(a.pending), maxSample)]
	a.send(len(a.pending), append([]mailin.Quarantined(nil), sample...))
	a.pending, a.last = nil, now
}
