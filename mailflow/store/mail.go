package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
)

// SQLite's scalar MIN is PostgreSQL's LEAST.
var (
	qRecoverInFlight = pgVariant(`UPDATE outbox SET next_attempt = MIN(next_attempt, ?), in_flight = 0 WHERE status = 'pending' AND in_flight = 1`,
		`UPDATE outbox SET next_attempt = LEAST(next_attempt, ?), in_flight = 0 WHERE status = 'pending'
			AND CASE WHEN in_flight = 0 OR in_flight = ? THEN false ELSE pg_try_advisory_xact_lock(in_flight) END`)
	qReleaseHeld = pgVariant(`UPDATE outbox SET next_attempt = MIN(next_attempt, ?), held = 0 WHERE status = 'pending' AND held = 1`,
		`UPDATE outbox SET next_attempt = LEAST(next_attempt, ?), held = 0 WHERE status = 'pending' AND held = 1`)
)

// Outbox statuses.
const (
	OutPending = "pending"
	OutSent    = "sent"
	OutFailed  = "failed"
)

// OutboxRow is a mail to send.
type OutboxRow struct {
	ID          int64
	RunID       string // "" for mail outside any run (to the admin)
	EventSeq    int64
	MessageID   string
	Template    string
	Step        int
	Mail        flow.Mail
	Status      string
	Attempts    int
	NextAttempt time.Time
	LastError   string
	Created     time.Time
	SentAt      time.Time
	// InFlight: an attempt was recorded and its outcome was not (yet).
	InFlight bool
	// Held: the last failure was the server being unreachable; the next
	// successful send releases the row at once.
	Held bool
}

// Enqueue adds a mail to the outbox, to be sent no earlier than notBefore.
// runID "" queues a mail that belongs to no run (seq is then 0).
func (t *Tx) Enqueue(runID string, seq int64, m *flow.Mail, now, notBefore time.Time) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode mail: %w", err)
	}
	var to []string
	for _, r := range m.To {
		to = append(to, r.Email)
	}
	_, err = t.exec(`INSERT INTO outbox (run_id, event_seq, message_id, template, recipients, step, payload, status, next_attempt, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
		nullIfEmpty(runID), seq, m.MessageID, m.Template, strings.Join(to, ","), m.Step, string(b), ms(notBefore), ms(now))
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", m.MessageID, err)
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const outCols = "id, COALESCE(run_id, ''), event_seq, message_id, template, step, payload, status, attempts, next_attempt, last_error, created, sent_at, in_flight <> 0, held"

func scanOut(sc interface{ Scan(...any) error }) (OutboxRow, error) {
	var o OutboxRow
	var payload string
	var next, created, sent int64
	if err := sc.Scan(&o.ID, &o.RunID, &o.EventSeq, &o.MessageID, &o.Template, &o.Step, &payload, &o.Status, &o.Attempts, &next, &o.LastError, &created, &sent, &o.InFlight, &o.Held); err != nil {
		return o, err
	}
	o.NextAttempt, o.Created, o.SentAt = fromMS(next), fromMS(created), fromMS(sent)
	if err := json.Unmarshal([]byte(payload), &o.Mail); err != nil {
		return o, fmt.Errorf("decode outbox %d: %w", o.ID, err)
	}
	return o, nil
}

// DueMail returns pending mail whose next attempt is due, oldest first.
func (t *Tx) DueMail(now time.Time, limit int) ([]OutboxRow, error) {
	return t.queryOut("WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?", ms(now), limit)
}

// Outbox lists a run's mail, in order; "" lists every row, the mail of no
// run included.
func (t *Tx) Outbox(runID string) ([]OutboxRow, error) {
	if runID == "" {
		return t.queryOut("ORDER BY id")
	}
	return t.queryOut("WHERE run_id = ? ORDER BY id", runID)
}

// AdminOutbox lists the newest mail that belongs to no run (alerts to
// the admin), newest first.
func (t *Tx) AdminOutbox(limit int) ([]OutboxRow, error) {
	return t.queryOut("WHERE run_id IS NULL ORDER BY id DESC LIMIT ?", limit)
}

// NextMail returns when the earliest pending mail is due (zero if none).
func (t *Tx) NextMail() (time.Time, error) {
	var at sql.NullInt64
	if err := t.queryRow("SELECT MIN(next_attempt) FROM outbox WHERE status = 'pending'").Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("next mail: %w", err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return fromMS(at.Int64), nil
}

// MailByMessageID finds one of our mails, e.g. the one a bounce names.
func (t *Tx) MailByMessageID(id string) (OutboxRow, error) {
	rows, err := t.queryOut("WHERE message_id = ?", strings.Trim(id, "<> "))
	if err != nil {
		return OutboxRow{}, err
	}
	if len(rows) == 0 {
		return OutboxRow{}, fmt.Errorf("mail %s: %w", id, ErrNotFound)
	}
	return rows[0], nil
}

func (t *Tx) queryOut(where string, args ...any) ([]OutboxRow, error) {
	rows, err := t.query("SELECT "+outCols+" FROM outbox "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		o, err := scanOut(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// MailAttempt records, before a try, that attempt number attempts is being
// made and when the next one is due if this one fails. The row is in
// flight until MailSent, MailError, MailHeld or MailFailed records how the
// try ended.
func (t *Tx) MailAttempt(id int64, attempts int, next time.Time) error {
	_, err := t.exec("UPDATE outbox SET attempts = ?, next_attempt = ?, in_flight = 1 WHERE id = ? AND status = 'pending'", attempts, ms(next), id)
	if err != nil {
		return fmt.Errorf("record attempt of outbox %d: %w", id, err)
	}
	return nil
}

// MailDefer moves a pending mail's next attempt without trying it (quiet
// hours).
func (t *Tx) MailDefer(id int64, next time.Time) error {
	_, err := t.exec("UPDATE outbox SET next_attempt = ? WHERE id = ? AND status = 'pending'", ms(next), id)
	if err != nil {
		return fmt.Errorf("defer outbox %d: %w", id, err)
	}
	return nil
}

// MailSent marks a mail delivered to the submission server.
func (t *Tx) MailSent(id int64, at time.Time) error {
	_, err := t.exec("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '', in_flight = 0, held = 0 WHERE id = ?", ms(at), id)
	if err != nil {
		return fmt.Errorf("mark outbox %d sent: %w", id, err)
	}
	return nil
}

// RecoverInFlight makes every pending mail whose last attempt has no
// recorded outcome (the process died during the send) due at now, and
// returns how many there were. Call it once at start, before any send.
//
// On PostgreSQL a row in flight names the instance that claimed it
// (ClaimMail), and only the rows of instances that are gone are recovered:
// a live instance's send is its own (see instanceLock).
func (t *Tx) RecoverInFlight(now time.Time) (int, error) {
	args := []any{ms(now)}
	if t.s.pg {
		args = append(args, t.s.instance)
	}
	res, err := t.exec(qRecoverInFlight, args...)
	if err != nil {
		return 0, fmt.Errorf("recover interrupted sends: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// MailHeld records that a try failed because the server could not be
// reached (or a mail was held back without a try for that reason, with
// attempts and next as MailAttempt takes them): the mail stays pending
// and ReleaseHeld makes it due at once.
func (t *Tx) MailHeld(id int64, attempts int, next time.Time, reason string) error {
	_, err := t.exec("UPDATE outbox SET attempts = ?, next_attempt = ?, last_error = ?, in_flight = 0, held = 1 WHERE id = ? AND status = 'pending'",
		attempts, ms(next), reason, id)
	if err != nil {
		return fmt.Errorf("hold outbox %d: %w", id, err)
	}
	return nil
}

// ReleaseHeld makes every held mail due at now (the server answers
// again) and returns how many were released.
func (t *Tx) ReleaseHeld(now time.Time) (int, error) {
	res, err := t.exec(qReleaseHeld, ms(now))
	if err != nil {
		return 0, fmt.Errorf("release held mail: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// MailFailedByID marks one of our mails failed by its Message-ID, when a
// bounce reports it after it was sent; it tells whether there was one.
func (t *Tx) MailFailedByID(messageID, reason string) (bool, error) {
	res, err := t.exec("UPDATE outbox SET status = 'failed', last_error = ? WHERE message_id = ?", reason, strings.Trim(messageID, "<> "))
	if err != nil {
		return false, fmt.Errorf("mark %s failed: %w", messageID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// MailError records a transient error, keeping the mail pending.
func (t *Tx) MailError(id int64, reason string) error {
	_, err := t.exec("UPDATE outbox SET last_error = ?, in_flight = 0, held = 0 WHERE id = ?", reason, id)
	if err != nil {
		return fmt.Errorf("record error of outbox %d: %w", id, err)
	}
	return nil
}

// MailFailed marks a mail permanently failed.
func (t *Tx) MailFailed(id int64, reason string) error {
	_, err := t.exec("UPDATE outbox SET status = 'failed', last_error = ?, in_flight = 0, held = 0 WHERE id = ?", reason, id)
	if err != nil {
		return fmt.Errorf("mark outbox %d failed: %w", id, err)
	}
	return nil
}

// Inbound is a message seen in a watched mailbox.
type Inbound struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
	MessageID   string
	RunID       string
	Result      string
	At          time.Time
	// Archive, when set, is the raw message archived (messages table) in
	// the transaction that marks it, with the marker's run.
	Archive *Message
}

// ErrDuplicate is returned when a message was processed before.
var ErrDuplicate = errors.New("message already processed")

// SeenInbound reports whether this message was processed before, by its
// place in the mailbox or by its Message-ID.
func (t *Tx) SeenInbound(in Inbound) (bool, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM inbound WHERE (mailbox = ? AND uidvalidity = ? AND uid = ?) OR (message_id <> '' AND message_id = ?)`,
		in.Mailbox, in.UIDValidity, in.UID, in.MessageID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check inbound: %w", err)
	}
	return n > 0, nil
}

// MarkInbound records that a message was processed, and what came of it.
func (t *Tx) MarkInbound(in Inbound) error {
	_, err := t.exec(`INSERT INTO inbound (mailbox, uidvalidity, uid, message_id, run_id, result, at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		in.Mailbox, in.UIDValidity, in.UID, in.MessageID, in.RunID, in.Result, ms(in.At))
	if err != nil {
		return fmt.Errorf("mark inbound uid %d: %w", in.UID, err)
	}
	return t.archiveInbound(in)
}

// InboundResults lists processed messages (newest first), for status.
func (t *Tx) InboundResults(limit int) ([]Inbound, error) {
	rows, err := t.query("SELECT mailbox, uidvalidity, uid, message_id, run_id, result, at FROM inbound ORDER BY at DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read inbound: %w", err)
	}
	defer rows.Close()
	var out []Inbound
	for rows.Next() {
		var in Inbound
		var at int64
		if err := rows.Scan(&in.Mailbox, &in.UIDValidity, &in.UID, &in.MessageID, &in.RunID, &in.Result, &at); err != nil {
			return nil, err
		}
		in.At = fromMS(at)
		out = append(out, in)
	}
	return out, rows.Err()
}

// Cursor returns the mailbox's UIDVALIDITY and the highest UID handled.
func (t *Tx) Cursor(mailbox string) (uidValidity, lastUID uint32, err error) {
	err = t.queryRow("SELECT uidvalidity, last_uid FROM cursors WHERE mailbox = ?", mailbox).Scan(&uidValidity, &lastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read cursor of %s: %w", mailbox, err)
	}
	return uidValidity, lastUID, nil
}

// SetCursor advances the mailbox cursor.
func (t *Tx) SetCursor(mailbox string, uidValidity, lastUID uint32) error {
	_, err := t.exec(`INSERT INTO cursors (mailbox, uidvalidity, last_uid) VALUES (?, ?, ?)
		ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid`, mailbox, uidValidity, lastUID)
	if err != nil {
		return fmt.Errorf("set cursor of %s: %w", mailbox, err)
	}
	return nil
}

// AttachmentMeta records an attachment's original name for a message.
func (t *Tx) AttachmentMeta(runID, messageID string, a flow.Attachment, at time.Time) error {
	_, err := t.exec(`INSERT INTO attachments (sha256, message_id, run_id, filename, content_type, size, at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, a.SHA256, messageID, runID, a.Filename, a.ContentType, a.Size, ms(at))
	if err != nil {
		return fmt.Errorf("record attachment %s: %w", a.Filename, err)
	}
	return nil
}

// RateHit records an automatic answer to address and returns how many were
// sent to it since `since` (including this one).
func (t *Tx) RateHit(address string, now, since time.Time) (int, error) {
	if _, err := t.exec("DELETE FROM rate WHERE at < ?", ms(since)); err != nil {
		return 0, fmt.Errorf("rate: %w", err)
	}
	if _, err := t.exec("INSERT INTO rate (address, at) VALUES (?, ?)", strings.ToLower(address), ms(now)); err != nil {
		return 0, fmt.Errorf("rate: %w", err)
	}
	var n int
	err := t.queryRow("SELECT COUNT(*) FROM rate WHERE address = ? AND at >= ?", strings.ToLower(address), ms(since)).Scan(&n)
	return n, err
}
