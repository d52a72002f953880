// Package store is mailflow's durable state in SQLite (modernc.org/sqlite,
// pure Go, WAL mode) or PostgreSQL (pgx, see postgres.go): runs, their
// append-only event logs, the outbox of mail still to send, deadlines, the
// inbound messages already processed and attachment metadata. Applying one
// event is one transaction. Every statement is written in SQLite's dialect
// and passes through Tx.q, where PostgreSQL's is substituted.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// Store is an open database.
type Store struct {
	db   *sql.DB
	Path string // the SQLite file, or the PostgreSQL URL without its password
	pg   bool   // PostgreSQL: statements are rewritten by pgStmt
	// schema is the PostgreSQL URL's search_path when it names one
	// schema (an office's own); migrate creates it.
	schema string
	// instance and lockConn: this open store's number and the connection
	// holding its advisory lock (PostgreSQL; see instanceLock).
	instance int64
	lockConn *sql.Conn

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt // prepared once: SQLite's parser is a third of an event's cost
	pending map[string]bool
}

// Options tune durability.
type Options struct {
	// Synchronous is SQLite's synchronous pragma: "FULL" (default: a commit
	// survives power loss) or "NORMAL" (survives a process crash only).
	Synchronous string
	// MaxConns bounds PostgreSQL's connection pool (default 8).
	MaxConns int
}

// Open opens (creating if needed) the database at path and migrates it.
// A path that is a postgres:// or postgresql:// URL opens PostgreSQL.
func Open(path string, opt Options) (*Store, error) {
	if IsPostgres(path) {
		return openPostgres(path, opt)
	}
	if err := private(path); err != nil {
		return nil, err
	}
	sync := opt.Synchronous
	if sync == "" {
		sync = "FULL"
	}
	// 16 KiB pages: a run's state (~10-15 KB of JSON) fits one page instead
	// of a chain of overflow pages, so a commit writes fewer WAL frames;
	// measured ~1.4x events/s over 4 KiB. It applies to new stores only.
	// busy_timeout comes first so that switching a new file to WAL waits
	// for another process that is creating it too.
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(10000)&_pragma=page_size(16384)&_pragma=journal_mode(WAL)&_pragma=synchronous(%s)&_pragma=foreign_keys(ON)&_txlock=immediate", path, sync)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; one connection also keeps
	// BEGIN IMMEDIATE from contending with itself.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, Path: path, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	// SQLite gives the -wal and -shm files the database file's mode; an
	// older mailflow left them as the umask said.
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("make %s private: %w", f, err)
		}
	}
	return s, nil
}

// private creates the data directory (0700) and the database file (0600)
// before SQLite does (it would follow the umask, usually 0644): the store
// holds officials' replies and addresses. An existing directory and file
// are tightened the same way.
func private(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data dir for %s: %w", path, err)
	}
	if dir != "." {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("make data dir %s private: %w", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("make %s private: %w", path, err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[string]*sql.Stmt{}
	s.mu.Unlock()
	if s.lockConn != nil {
		s.lockConn.Close()
	}
	return s.db.Close()
}

// Postgres tells whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

// Tx is one transaction.
type Tx struct {
	tx    *sql.Tx
	s     *Store
	write bool // an Update: PostgreSQL locks the rows it reads for change
}

// q returns the statement for query within this transaction. A statement
// seen for the first time is prepared on the transaction only and queued to
// be prepared for good once the single connection is free again (preparing
// on the DB now would wait for the connection this transaction holds).
func (t *Tx) q(query string) (*sql.Stmt, error) {
	if t.s.pg {
		// pgx caches prepared statements per connection by itself.
		return t.tx.Prepare(pgStmt(query))
	}
	t.s.mu.Lock()
	st, ok := t.s.stmts[query]
	t.s.mu.Unlock()
	if ok {
		return t.tx.Stmt(st), nil
	}
	st, err := t.tx.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	t.s.mu.Lock()
	t.s.pending[query] = true
	t.s.mu.Unlock()
	return st, nil
}

// prepare caches the statements queued by q; called with no transaction
// open. s.mu is never held while waiting for the connection: a transaction
// holding the connection may be waiting for s.mu in q.
func (s *Store) prepare() {
	s.mu.Lock()
	var todo []string
	for q := range s.pending {
		todo = append(todo, q)
	}
	clear(s.pending)
	s.mu.Unlock()
	for _, q := range todo {
		st, err := s.db.Prepare(q)
		if err != nil {
			continue // prepared on each transaction instead
		}
		s.mu.Lock()
		if old, dup := s.stmts[q]; dup {
			old.Close()
		}
		s.stmts[q] = st
		s.mu.Unlock()
	}
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	if t.s.pg {
		return t.tx.Exec(pgStmt(query), args...)
	}
	st, err := t.q(query)
	if err != nil {
		return nil, err
	}
	return st.Exec(args...)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if t.s.pg {
		return t.tx.Query(pgStmt(query), args...)
	}
	st, err := t.q(query)
	if err != nil {
		return nil, err
	}
	return st.Query(args...)
}

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

func (t *Tx) queryRow(query string, args ...any) interface{ Scan(...any) error } {
	if t.s.pg {
		return t.tx.QueryRow(pgStmt(query), args...)
	}
	st, err := t.q(query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRow(args...)
}

// Update runs fn in a write transaction, committing when it returns nil.
// On PostgreSQL a transaction lost to a deadlock or a serialization failure
// (another instance) is run again, fn included: fn must act only on tx.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	for try := 1; ; try++ {
		err := s.update(ctx, fn)
		if !s.pg || try == 8 || !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(try*try) * 5 * time.Millisecond)
	}
}

func (s *Store) update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer s.prepare()
	done := false
	defer func() {
		if !done { // fn panicked: free the one connection, then go on panicking
			tx.Rollback()
		}
	}()
	t := &Tx{tx: tx, s: s, write: true}
	if l := FenceOf(ctx); l != nil {
		if err := t.fence(l); err != nil {
			done = true
			tx.Rollback()
			return err
		}
	}
	if err := fn(t); err != nil {
		done = true
		tx.Rollback()
		return err
	}
	done = true
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
	defer s.prepare()
	defer tx.Rollback()
	return fn(&Tx{tx: tx, s: s})
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
