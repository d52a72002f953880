package metrics

import (
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailin"
)

// Live is the state of the mail connections as last observed.
type Live struct {
	mu sync.Mutex
	s  LiveState
}

// LiveState is a copy of Live for a page or a probe.
type LiveState struct {
	IMAPUp, IMAPIdle bool
	IMAPSince        time.Time // when the current session (or outage) began
	IMAPLastSync     time.Time
	IMAPLastErr      string
	IMAPLastErrAt    time.Time
	Reconnects       int
	IdleRestarts     int
	UIDValidity      uint32
	LastUID          uint32
	LastMessage      time.Time // the last message of ours applied
	SMTPLastOK       time.Time
	SMTPLastErr      string
	SMTPLastErrAt    time.Time
}

// Snapshot returns the state now.
func (l *Live) Snapshot() LiveState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s
}

func (l *Live) imap(now time.Time, s mailin.State) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case s.IdleRestart:
		l.s.IdleRestarts++
	case s.Up:
		l.s.IMAPUp, l.s.IMAPIdle, l.s.IMAPSince = true, s.Idle, now
	default:
		if l.s.IMAPUp || l.s.IMAPSince.IsZero() {
			l.s.IMAPSince = now
		}
		l.s.IMAPUp = false
		l.s.Reconnects++
		if s.Err != nil {
			l.s.IMAPLastErr, l.s.IMAPLastErrAt = s.Err.Error(), now
		}
	}
}

func (l *Live) synced(now time.Time, r mailin.SyncReport) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s.IMAPLastSync, l.s.UIDValidity, l.s.LastUID = now, r.UIDValidity, r.LastUID
}

func (l *Live) processed(p mailin.Processed) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p.Committed.After(l.s.LastMessage) {
		l.s.LastMessage = p.Committed
	}
}

func (l *Live) smtp(at time.Time, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.s.SMTPLastOK = at
		return
	}
	l.s.SMTPLastErr, l.s.SMTPLastErrAt = err.Error(), at
}
