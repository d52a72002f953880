package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OutCancelled is a mail the office no longer wants (the console's
// "batalkan"); it is never sent.
const OutCancelled = "cancelled"

// ErrNotActionable is returned for an outbox action on mail already sent
// or cancelled.
var ErrNotActionable = errors.New("mail is not pending or failed")

// MailByID reads one outbox row.
func (t *Tx) MailByID(id int64) (OutboxRow, error) {
	rows, err := t.queryOut("WHERE id = ?", id)
	if err != nil {
		return OutboxRow{}, err
	}
	if len(rows) == 0 {
		return OutboxRow{}, fmt.Errorf("outbox %d: %w", id, ErrNotFound)
	}
	return rows[0], nil
}

// OutboxOpen lists pending and failed mail, newest first.
func (t *Tx) OutboxOpen(limit int) ([]OutboxRow, error) {
	return t.queryOut("WHERE status IN ('pending', 'failed') ORDER BY id DESC LIMIT ?", limit)
}

// RetryMailNow makes a pending or failed mail due at now. A failed mail
// starts a new series of attempts (its count back to 0, so that the
// backoff does not give up at once); its last error stays until a try
// succeeds.
func (t *Tx) RetryMailNow(id int64, now time.Time) (OutboxRow, error) {
	row, err := t.MailByID(id)
	if err != nil {
		return row, err
	}
	switch row.Status {
	case OutPending:
		_, err = t.exec("UPDATE outbox SET next_attempt = ? WHERE id = ?", ms(now), id)
	case OutFailed:
		_, err = t.exec("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt = ? WHERE id = ?", ms(now), id)
	default:
		return row, fmt.Errorf("outbox %d (%s): %w", id, row.Status, ErrNotActionable)
	}
	if err != nil {
		return row, fmt.Errorf("retry outbox %d: %w", id, err)
	}
	return row, nil
}

// CancelMail marks a pending or failed mail cancelled, with the reason.
func (t *Tx) CancelMail(id int64, reason string) (OutboxRow, error) {
	row, err := t.MailByID(id)
	if err != nil {
		return row, err
	}
	if row.Status != OutPending && row.Status != OutFailed {
		return row, fmt.Errorf("outbox %d (%s): %w", id, row.Status, ErrNotActionable)
	}
	if _, err := t.exec("UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ?", reason, id); err != nil {
		return row, fmt.Errorf("cancel outbox %d: %w", id, err)
	}
	return row, nil
}

// OutboxStat is the outbox's size per status and its oldest row.
type OutboxStat struct {
	Status string
	Count  int
	Oldest time.Time // the oldest row's creation
}

// OutboxStats counts the outbox by status.
func (t *Tx) OutboxStats() ([]OutboxStat, error) {
	rows, err := t.query("SELECT status, COUNT(*), MIN(created) FROM outbox GROUP BY status ORDER BY status")
	if err != nil {
		return nil, fmt.Errorf("outbox stats: %w", err)
	}
	defer rows.Close()
	var out []OutboxStat
	for rows.Next() {
		var s OutboxStat
		var oldest sql.NullInt64
		if err := rows.Scan(&s.Status, &s.Count, &oldest); err != nil {
			return nil, err
		}
		s.Oldest = fromMS(oldest.Int64)
		out = append(out, s)
	}
	return out, rows.Err()
}

// OldestWaiting is when the oldest pending mail that should have gone by
// now was queued: due, or tried at least once. Automatic mail held for
// working hours and not yet tried does not count (zero: none).
func (t *Tx) OldestWaiting(now time.Time) (time.Time, error) {
	var at sql.NullInt64
	err := t.queryRow("SELECT MIN(created) FROM outbox WHERE status = 'pending' AND (attempts > 0 OR next_attempt <= ?)", ms(now)).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("oldest waiting mail: %w", err)
	}
	return fromMS(at.Int64), nil
}

// RunCounts counts runs by status.
func (t *Tx) RunCounts() (map[string]int, error) {
	rows, err := t.query("SELECT status, COUNT(*) FROM runs GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("count runs: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// LastSent is when the SMTP server last accepted a mail of ours (zero:
// never), for the health page after a restart.
func (t *Tx) LastSent() (time.Time, error) {
	var at sql.NullInt64
	if err := t.queryRow("SELECT MAX(sent_at) FROM outbox WHERE status = 'sent'").Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("last sent mail: %w", err)
	}
	return fromMS(at.Int64), nil
}
