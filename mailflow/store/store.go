// Package store is mailflow's durable state in SQLite (modernc.org/sqlite,
// pure Go, WAL mode): runs, their append-only event logs, the outbox of
// mail still to send, deadlines, the inbound messages already processed and
// attachment metadata. Applying one event is one transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Store is an open database.
type Store struct {
	db   *sql.DB
	Path string
}

// Options tune durability.
type Options struct {
	// Synchronous is SQLite's synchronous pragma: "FULL" (default: a commit
	// survives power loss) or "NORMAL" (survives a process crash only).
	Synchronous string
}

// Open opens (creating if needed) the database at path and migrates it.
func Open(path string, opt Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data dir for %s: %w", path, err)
	}
	sync := opt.Synchronous
	if sync == "" {
		sync = "FULL"
	}
	dsn := fmt.Sprintf("file:%s?_pragma=journal_mode(WAL)&_pragma=synchronous(%s)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_txlock=immediate", path, sync)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; one connection also keeps
	// BEGIN IMMEDIATE from contending with itself.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, Path: path}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Tx is one transaction.
type Tx struct {
	tx *sql.Tx
}

// Update runs fn in a write transaction, committing when it returns nil.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(&Tx{tx: tx}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// View runs fn in a transaction that is always rolled back.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{tx: tx})
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
