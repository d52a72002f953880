package store

import (
	"fmt"
	"time"
)

// Claims let several instances share the outbox and the deadline ticks:
// each row is taken by one of them, and an instance never waits for a row
// another one holds (SKIP LOCKED on PostgreSQL; SQLite's single writer
// needs no lock clause, the WHERE alone decides).

var (
	qClaimMail = pgVariant(
		`UPDATE outbox SET attempts = ?, next_attempt = ?, in_flight = ? WHERE id = ? AND status = 'pending' AND attempts = ? AND next_attempt <= ?`,
		`UPDATE outbox SET attempts = ?, next_attempt = ?, in_flight = ? WHERE id = (
			SELECT id FROM outbox WHERE id = ? AND status = 'pending' AND attempts = ? AND next_attempt <= ? FOR UPDATE SKIP LOCKED)`)
	qClaimDeadline = pgVariant(
		`SELECT run_id FROM deadlines WHERE run_id = ? AND at <= ?`,
		`SELECT run_id FROM deadlines WHERE run_id = ? AND at <= ? FOR UPDATE SKIP LOCKED`)
)

// ClaimMail records attempt number attempts at a mail DueMail returned (in
// flight until its outcome is recorded, see RecoverInFlight) and moves its
// next attempt to next, if the row is still as it was read:
// pending, with seen attempts made, due at now. It tells whether this instance has the
// mail: false means another instance claimed it first (or it was sent).
func (t *Tx) ClaimMail(id int64, seen, attempts int, next, now time.Time) (bool, error) {
	mark := int64(1) // in flight; on PostgreSQL, by this instance
	if t.s.pg {
		mark = t.s.instance
	}
	res, err := t.exec(qClaimMail, attempts, ms(next), mark, id, seen, ms(now))
	if err != nil {
		return false, fmt.Errorf("claim outbox %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimDeadline locks a run's due deadline for this transaction, in which
// the caller applies the tick; false if it is not due any more or another
// instance is ticking it now (that one's tick moves or clears it).
func (t *Tx) ClaimDeadline(runID string, now time.Time) (bool, error) {
	rows, err := t.query(qClaimDeadline, runID, ms(now))
	if err != nil {
		return false, fmt.Errorf("claim deadline of %s: %w", runID, err)
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}
