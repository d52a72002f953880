package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// migrations is the ordered list of schema changes. Never edit one that has
// shipped; append a new one.
var migrations = []func(*sql.Tx) error{
	func(tx *sql.Tx) error { return exec(tx, schemaV1) },
	func(tx *sql.Tx) error { return exec(tx, schemaV2) },
	func(tx *sql.Tx) error { return exec(tx, schemaV3) },
	func(tx *sql.Tx) error { return exec(tx, schemaLetters) },  // letters.go
	func(tx *sql.Tx) error { return exec(tx, schemaMessages) }, // messages.go
	func(tx *sql.Tx) error { return exec(tx, schemaOutboxRecovery) },
	func(tx *sql.Tx) error { return exec(tx, schemaShared) },
}

// schemaShared: the tables of a store several instances share, the leases
// (lease.go) and attachment content kept in the database (blobs.go). They
// are empty and unused on a one-process SQLite store, but every store has
// the same schema at the same version. Until this migration they were
// created on first use, hence IF NOT EXISTS: a store that has them keeps
// them as they are.
const schemaShared = `
CREATE TABLE IF NOT EXISTS leases (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	generation BIGINT NOT NULL,
	expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blobs (
	sha256 TEXT NOT NULL,
	part BIGINT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (sha256, part)
);
`

// schemaOutboxRecovery: what delivery needs to recover at once. in_flight
// is 1 from the moment an attempt is recorded until its outcome is (a row
// still 1 at start was cut off by a crash: it is due at once, its
// Message-ID is stable). held is 1 while the row waits because the server
// could not be reached (refused, timeout, 421, 454): the next successful
// send makes every such row due at once.
const schemaOutboxRecovery = `
ALTER TABLE outbox ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
`

// schemaV3: an outbox row may belong to no run (run_id NULL): mail to the
// admin about the mailbox itself, such as the quarantine alert. SQLite
// cannot relax a column constraint in place, so the table is rebuilt
// (https://www.sqlite.org/lang_altertable.html#otheralter): no table
// refers to outbox, so the foreign keys can stay on; ids are kept.
const schemaV3 = `
CREATE TABLE outbox_v3 (
	id INTEGER PRIMARY KEY,
	run_id TEXT REFERENCES runs(id), -- NULL: mail outside any run
	event_seq INTEGER NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	template TEXT NOT NULL,
	recipients TEXT NOT NULL,
	step INTEGER NOT NULL,
	payload TEXT NOT NULL,        -- flow.Mail as JSON
	status TEXT NOT NULL,         -- pending, sent, failed
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL,
	sent_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_v3 (id, run_id, event_seq, message_id, template, recipients, step, payload, status, attempts, next_attempt, last_error, created, sent_at)
	SELECT id, run_id, event_seq, message_id, template, recipients, step, payload, status, attempts, next_attempt, last_error, created, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt);
CREATE INDEX outbox_run ON outbox(run_id);
`

// schemaV2: messages the watcher could not process. A row is written at the
// first failure and counts the attempts (so that they survive a restart);
// quarantined = 1 once the message is given up: it is never fetched again.
const schemaV2 = `
CREATE TABLE quarantine (
	mailbox TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL,
	uid INTEGER NOT NULL,
	message_id TEXT NOT NULL,
	sender TEXT NOT NULL,         -- the From address
	subject TEXT NOT NULL,
	error TEXT NOT NULL,          -- the last error
	attempts INTEGER NOT NULL,
	at INTEGER NOT NULL,          -- the last attempt, or when quarantined
	quarantined INTEGER NOT NULL, -- 0: still retried
	PRIMARY KEY (mailbox, uidvalidity, uid)
) WITHOUT ROWID;
CREATE INDEX quarantine_msgid ON quarantine(message_id);
`

const schemaV1 = `
CREATE TABLE runs (
	id TEXT PRIMARY KEY,
	token TEXT NOT NULL UNIQUE,
	sop TEXT NOT NULL,
	title TEXT NOT NULL,
	status TEXT NOT NULL,
	seq INTEGER NOT NULL,
	state TEXT NOT NULL,          -- flow.Run as JSON
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL
);
CREATE INDEX runs_status ON runs(status);

CREATE TABLE events (
	run_id TEXT NOT NULL REFERENCES runs(id),
	seq INTEGER NOT NULL,
	type TEXT NOT NULL,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	evidence TEXT NOT NULL,       -- the Message-ID that caused it, if any
	payload TEXT NOT NULL,        -- flow.Event as JSON
	notes TEXT NOT NULL,          -- the flow's audit lines, newline-separated
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	run_id TEXT NOT NULL REFERENCES runs(id),
	event_seq INTEGER NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	template TEXT NOT NULL,
	recipients TEXT NOT NULL,
	step INTEGER NOT NULL,
	payload TEXT NOT NULL,        -- flow.Mail as JSON
	status TEXT NOT NULL,         -- pending, sent, failed
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL,
	sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(status, next_attempt);
CREATE INDEX outbox_run ON outbox(run_id);

CREATE TABLE deadlines (
	run_id TEXT PRIMARY KEY REFERENCES runs(id),
	at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX deadlines_at ON deadlines(at);

CREATE TABLE inbound (
	mailbox TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL,
	uid INTEGER NOT NULL,
	message_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	result TEXT NOT NULL,         -- what was done: applied, ignored, not_ours...
	at INTEGER NOT NULL,
	PRIMARY KEY (mailbox, uidvalidity, uid)
) WITHOUT ROWID;
CREATE INDEX inbound_msgid ON inbound(message_id);

CREATE TABLE cursors (
	mailbox TEXT PRIMARY KEY,
	uidvalidity INTEGER NOT NULL,
	last_uid INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachments (
	sha256 TEXT NOT NULL,
	message_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (sha256, message_id, filename)
) WITHOUT ROWID;

CREATE TABLE rate (
	address TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX rate_addr ON rate(address, at);
`

func exec(tx *sql.Tx, q string) error {
	_, err := tx.Exec(q)
	return err
}

// migrate applies the missing migrations, one transaction each. The
// version is read inside the transaction, which is IMMEDIATE (the DSN's
// _txlock): two processes opening a new store at once take turns, and the
// second finds the first one's work done instead of repeating it.
//
// SQLite does not always wait for its busy timeout while another
// connection is turning a new file into WAL (it answers SQLITE_BUSY at
// once rather than risk a deadlock), so a busy answer is tried again for
// up to a minute.
func (s *Store) migrate(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for wait := 5 * time.Millisecond; ; {
		done, err := s.migrateOne(ctx)
		if err != nil && sqliteBusy(err) && time.Now().Before(deadline) {
			time.Sleep(wait + rand.N(wait))
			wait = min(2*wait, 200*time.Millisecond)
			continue
		}
		if err != nil || done {
			return err
		}
	}
}

// sqliteBusy tells whether SQLite refused because another connection holds
// the lock (SQLITE_BUSY and its extended codes).
func sqliteBusy(err error) bool {
	var c interface{ Code() int }
	return errors.As(err, &c) && c.Code()&0xff == 5
}

func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return false, fmt.Errorf("the store %s has schema version %d but this mailflow knows only %d: use a newer mailflow or restore a backup", s.Path, v, len(migrations))
	}
	if v == len(migrations) {
		return true, tx.Commit()
	}
	if err := migrations[v](tx); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	return false, nil
}
