package mailin

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// QuarantineKeyword marks a message the watcher gave up on, for the humans
// reading the mailbox.
const QuarantineKeyword = "$MailflowQuarantine"

// Permanent marks err as one that trying again cannot fix (a message that
// does not parse): the message is quarantined at once. Any other error
// from the Handler is transient: retried with growing backoff, and the
// message is quarantined after IMAP.MaxAttempts attempts.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err (or one it wraps) came from Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Quarantined tells Options.OnQuarantine about a message given up: it is
// recorded in the store, marked with QuarantineKeyword (when the server
// allows keywords) and never fetched again; the watcher goes on with the
// next message.
type Quarantined struct {
	Mailbox          string
	UIDValidity, UID uint32
	MessageID        string
	From, Subject    string
	Err              string
	Attempts         int
	Permanent        bool // false: transient errors, MaxAttempts times
	At               time.Time
}

// retryLater ends a session after a transient failure: Run waits Wait
// before the next one, which fetches the message again. Everything after
// it waits too, so the Handler still sees the mailbox in UID order.
type retryLater struct {
	UID     uint32
	Attempt int
	Wait    time.Duration
	Err     error
}

func (r *retryLater) Error() string {
	return fmt.Sprintf("uid %d: attempt %d failed, next in %v: %v", r.UID, r.Attempt, r.Wait, r.Err)
}

func (r *retryLater) Unwrap() error { return r.Err }

// failed records a failure of the Handler on h (deciding on it, or
// processing it). The message is quarantined when err is permanent or the
// attempts are used up; the caller then goes on with the next message.
// Otherwise a *retryLater is returned, ending the session. Attempts are
// counted in the store, so a restart does not start the count again: a
// message that crashes or wedges the daemon is still given up.
func (s *session) failed(ctx context.Context, b *batch, h Header, herr error) error {
	w := s.w
	if ctx.Err() != nil {
		return herr // shutting down: not the message's fault
	}
	now := w.opt.Now()
	f := store.Failure{Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID,
		From: h.From, Subject: h.Subject, Error: herr.Error(), At: now}
	perm := IsPermanent(herr)
	quarantine, before := false, false
	err := w.opt.Store.Update(ctx, func(tx *store.Tx) error {
		// Quarantined already (the headers of a message that failed in
		// Wanted are read again when a session ends before the cursor
		// moved): settle it without counting or telling again.
		var err error
		in := store.Inbound{Mailbox: f.Mailbox, UIDValidity: f.UIDValidity, UID: f.UID, MessageID: f.MessageID}
		if before, _, err = tx.FailureOf(in); err != nil || before {
			quarantine = before
			return err
		}
		n, err := tx.FailedAttempt(f)
		if err != nil {
			return err
		}
		f.Attempts = n
		if quarantine = perm || n >= w.maxAttempts; quarantine {
			return tx.Quarantine(f)
		}
		return nil
	})
	if err != nil && errors.Is(err, store.ErrLeaseLost) {
		// The mailbox is another instance's now: Run stops, nothing to retry.
		return fmt.Errorf("uid %d failed (%v), and the lease is gone: %w", h.UID, herr, err)
	}
	if err != nil {
		// The store itself fails (locked, disk full): nothing can be
		// counted, so nothing is quarantined; wait as for a failed
		// attempt, longer each time, rather than reconnecting at once.
		w.unrecorded++
		wait := Backoff(w.unrecorded, w.opt.RetryBase, w.opt.RetryMax, rand.Float64())
		w.log.Warn("message failed and the failure cannot be recorded; retrying", "uid", h.UID, "message_id", h.MessageID,
			"next_try", now.Add(wait).Format(time.RFC3339), "err", herr, "store_err", err)
		// Both wrapped: a store error may be the fence's ErrLeaseLost.
		return &retryLater{UID: h.UID, Wait: wait, Err: fmt.Errorf("%w (recording the failure: %w)", herr, err)}
	}
	w.unrecorded = 0
	if !quarantine {
		wait := Backoff(f.Attempts, w.opt.RetryBase, w.opt.RetryMax, rand.Float64())
		w.log.Warn("message failed; retrying", "uid", h.UID, "message_id", h.MessageID, "attempt", f.Attempts,
			"max_attempts", w.maxAttempts, "next_try", now.Add(wait).Format(time.RFC3339), "err", herr)
		return &retryLater{UID: h.UID, Attempt: f.Attempts, Wait: wait, Err: herr}
	}
	b.quarantined = append(b.quarantined, h)
	if before {
		w.log.Debug("quarantined before", "uid", h.UID, "message_id", h.MessageID, "err", herr)
		return nil
	}
	w.log.Error("message quarantined", "uid", h.UID, "message_id", h.MessageID, "from", h.From,
		"attempts", f.Attempts, "permanent", perm, "err", herr)
	if w.opt.OnQuarantine != nil {
		w.opt.OnQuarantine(Quarantined{Mailbox: w.mailbox, UIDValidity: s.uidValidity, UID: h.UID, MessageID: h.MessageID,
			From: h.From, Subject: h.Subject, Err: f.Error, Attempts: f.Attempts, Permanent: perm, At: now})
	}
	return nil
}

// callProcess and callWanted turn a panic of the Handler into a permanent
// error: a message that crashes the parser would otherwise crash the
// daemon again at every start, before its attempts could be counted. The
// store rolls back a transaction that a panic interrupted.
func (s *session) callProcess(ctx context.Context, m *Message) (err error) {
	defer s.recoverHandler(m.UID, &err)
	return s.w.opt.Handler.Process(ctx, m)
}

func (s *session) callWanted(ctx context.Context, h Header) (ok bool, err error) {
	defer s.recoverHandler(h.UID, &err)
	return s.w.opt.Handler.Wanted(ctx, h)
}

func (s *session) recoverHandler(uid uint32, err *error) {
	if r := recover(); r != nil {
		s.w.log.Error("handler panicked; a bug to report", "uid", uid, "panic", r, "stack", string(debug.Stack()))
		*err = Permanent(fmt.Errorf("handler panic: %v", r))
	}
}
