package store

import (
	"fmt"
	"time"
)

// Failure is a message the watcher could not process: retried, or given up
// (quarantined).
type Failure struct {
	Mailbox          string
	UIDValidity, UID uint32
	MessageID        string
	From, Subject    string
	Error            string
	Attempts         int
	At               time.Time
	Quarantined      bool
}

// maxErrLen bounds what an error (built from hostile mail) costs a row.
const maxErrLen = 2000

func clipErr(s string) string {
	if len(s) > maxErrLen {
		return s[:maxErrLen] + "…"
	}
	return s
}

// PostgreSQL wants the conflict target named, and calls scalar max GREATEST.
var (
	qFailedAttempt = pgVariant(`INSERT INTO quarantine (mailbox, uidvalidity, uid, message_id, sender, subject, error, attempts, at, quarantined)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 0)
		ON CONFLICT DO UPDATE SET attempts = attempts + 1, error = excluded.error, at = excluded.at
		RETURNING attempts`, `INSERT INTO quarantine (mailbox, uidvalidity, uid, message_id, sender, subject, error, attempts, at, quarantined)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 0)
		ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET attempts = quarantine.attempts + 1, error = excluded.error, at = excluded.at
		RETURNING attempts`)
	qQuarantine = pgVariant(`INSERT INTO quarantine (mailbox, uidvalidity, uid, message_id, sender, subject, error, attempts, at, quarantined)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT DO UPDATE SET attempts = max(attempts, excluded.attempts), error = excluded.error, at = excluded.at, quarantined = 1`,
		`INSERT INTO quarantine (mailbox, uidvalidity, uid, message_id, sender, subject, error, attempts, at, quarantined)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET attempts = GREATEST(quarantine.attempts, excluded.attempts), error = excluded.error, at = excluded.at, quarantined = 1`)
)

// FailedAttempt records one more failed attempt at f's message (f.Attempts
// is ignored) and returns how many there have been.
func (t *Tx) FailedAttempt(f Failure) (int, error) {
	var n int
	err := t.queryRow(qFailedAttempt,
		f.Mailbox, f.UIDValidity, f.UID, f.MessageID, f.From, f.Subject, clipErr(f.Error), ms(f.At)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("record failure of uid %d: %w", f.UID, err)
	}
	return n, nil
}

// Quarantine gives up f's message for good: it is never fetched again.
func (t *Tx) Quarantine(f Failure) error {
	_, err := t.exec(qQuarantine,
		f.Mailbox, f.UIDValidity, f.UID, f.MessageID, f.From, f.Subject, clipErr(f.Error), max(f.Attempts, 1), ms(f.At))
	if err != nil {
		return fmt.Errorf("quarantine uid %d: %w", f.UID, err)
	}
	return nil
}

// FailureOf tells whether in's message is quarantined (by its place or,
// for a copy delivered again, its Message-ID) and how many attempts at it
// failed so far (by its place).
func (t *Tx) FailureOf(in Inbound) (quarantined bool, attempts int, err error) {
	rows, err := t.query(`SELECT mailbox = ? AND uidvalidity = ? AND uid = ?, attempts, quarantined FROM quarantine
		WHERE (mailbox = ? AND uidvalidity = ? AND uid = ?) OR (message_id <> '' AND message_id = ?)`,
		in.Mailbox, in.UIDValidity, in.UID, in.Mailbox, in.UIDValidity, in.UID, in.MessageID)
	if err != nil {
		return false, 0, fmt.Errorf("check quarantine: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var here, q bool
		var n int
		if err := rows.Scan(&here, &n, &q); err != nil {
			return false, 0, fmt.Errorf("check quarantine: %w", err)
		}
		quarantined = quarantined || q
		if here {
			attempts = n
		}
	}
	return quarantined, attempts, rows.Err()
}

// ClearFailure forgets the failed attempts at a message that was then
// processed. A quarantined row stays.
func (t *Tx) ClearFailure(mailbox string, uidValidity, uid uint32) error {
	_, err := t.exec("DELETE FROM quarantine WHERE mailbox = ? AND uidvalidity = ? AND uid = ? AND quarantined = 0", mailbox, uidValidity, uid)
	if err != nil {
		return fmt.Errorf("clear failure of uid %d: %w", uid, err)
	}
	return nil
}

// Failures lists the rows, newest first: only quarantined messages unless
// all is set (then the ones still retried too).
func (t *Tx) Failures(all bool, limit int) ([]Failure, error) {
	rows, err := t.query(`SELECT mailbox, uidvalidity, uid, message_id, sender, subject, error, attempts, at, quarantined
		FROM quarantine WHERE quarantined = 1 OR ? ORDER BY at DESC LIMIT ?`, all, limit)
	if err != nil {
		return nil, fmt.Errorf("read quarantine: %w", err)
	}
	defer rows.Close()
	var out []Failure
	for rows.Next() {
		var f Failure
		var at int64
		if err := rows.Scan(&f.Mailbox, &f.UIDValidity, &f.UID, &f.MessageID, &f.From, &f.Subject, &f.Error, &f.Attempts, &at, &f.Quarantined); err != nil {
			return nil, fmt.Errorf("read quarantine: %w", err)
		}
		f.At = fromMS(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// QuarantinedCount is how many messages are quarantined.
func (t *Tx) QuarantinedCount() (int, error) {
	var n int
	if err := t.queryRow("SELECT COUNT(*) FROM quarantine WHERE quarantined = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("count quarantine: %w", err)
	}
	return n, nil
}

// ForgetPlaces detaches the inbound and quarantine rows of a mailbox's
// UIDVALIDITY from their places, after the server numbered its messages
// afresh under the same UIDVALIDITY: the UIDs now name other messages. The
// rows keep their Message-IDs, so processed and quarantined mail is still
// recognised, under a mailbox name no server has ("INBOX#renumbered-<ms>").
func (t *Tx) ForgetPlaces(mailbox string, uidValidity uint32, now time.Time) error {
	gone := fmt.Sprintf("%s#renumbered-%d", mailbox, ms(now))
	for _, table := range []string{"inbound", "quarantine"} {
		_, err := t.exec("UPDATE "+table+" SET mailbox = ? WHERE mailbox = ? AND uidvalidity = ?", gone, mailbox, uidValidity)
		if err != nil {
			return fmt.Errorf("forget the places in %s of %s: %w", table, mailbox, err)
		}
	}
	return nil
}

// AnyFailures tells whether any message failed or was quarantined: when
// none did (the usual case), FailureOf need not be asked per message.
func (t *Tx) AnyFailures() (bool, error) {
	var any bool // SQLite answers 1, PostgreSQL true: both scan as bool
	if err := t.queryRow("SELECT EXISTS (SELECT 1 FROM quarantine)").Scan(&any); err != nil {
		return false, fmt.Errorf("check quarantine: %w", err)
	}
	return any, nil
}
