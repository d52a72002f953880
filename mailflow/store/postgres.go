package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgres tells whether a store location is a PostgreSQL URL.
func IsPostgres(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// Redact returns a store location fit for logs: a URL's password is hidden.
func Redact(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || u.User == nil {
		return loc
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func openPostgres(loc string, opt Options) (*Store, error) {
	cfg, err := pgx.ParseConfig(loc)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", Redact(loc), err)
	}
	// An instance stopped inside a transaction (SIGSTOP, a VM paused)
	// would hold its row locks, the lease's among them, for as long as it
	// is stopped: the server ends such a transaction after 5 s, so the
	// mailbox can still pass to another instance.
	if _, set := cfg.RuntimeParams["idle_in_transaction_session_timeout"]; !set {
		cfg.RuntimeParams["idle_in_transaction_session_timeout"] = "5000"
	}
	db := stdlib.OpenDB(*cfg)
	conns := opt.MaxConns
	if conns <= 0 {
		conns = 8
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, Path: Redact(loc), pg: true, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
	if sp := cfg.RuntimeParams["search_path"]; sp != "" && !strings.ContainsAny(sp, ", \"") {
		s.schema = sp // one schema: created if missing
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to store %s: %w", s.Path, err)
	}
	if err := s.migratePG(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.instanceLock(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// instanceLock gives this open store a random instance number and holds a
// session advisory lock on it, on a connection kept for the purpose, for
// as long as the store is open. The lock is how other instances tell that
// this one is alive: it goes when the process dies (the server drops the
// connection), not when it is merely paused. Mail this instance has in
// flight carries the number (ClaimMail); RecoverInFlight takes over only
// mail whose instance's lock is free.
func (s *Store) instanceLock(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.Path, err)
	}
	for {
		var b [8]byte
		rand.Read(b[:])
		s.instance = int64(binary.BigEndian.Uint64(b[:]) >> 2) // positive, never 0 or 1 in practice
		if s.instance <= 1 {
			continue
		}
		var ok bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", s.instance).Scan(&ok); err != nil {
			conn.Close()
			return fmt.Errorf("store %s: instance lock: %w", s.Path, err)
		}
		if ok {
			s.lockConn = conn
			return nil
		}
	}
}

// pgOverride holds the statements whose SQLite form PostgreSQL does not
// take, keyed by the SQLite text; their placeholders are still rebound.
var pgOverride = map[string]string{}

// pgVariant registers PostgreSQL's form of a SQLite statement next to the
// code that uses it; it returns the SQLite form.
func pgVariant(sqlite, postgres string) string {
	pgOverride[sqlite] = postgres
	return sqlite
}

var pgCache sync.Map // SQLite text -> PostgreSQL text

// pgStmt translates a statement: its registered variant if any, and `?`
// placeholders numbered `$1`, `$2`… (no statement has a `?` in a literal).
func pgStmt(q string) string {
	if v, ok := pgCache.Load(q); ok {
		return v.(string)
	}
	src := q
	if o, ok := pgOverride[q]; ok {
		src = o
	}
	var b strings.Builder
	n := 0
	inStr := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\'':
			inStr = !inStr
		case c == '?' && !inStr:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	pgCache.Store(q, out)
	return out
}

// retryable tells whether PostgreSQL gave up a transaction that can simply
// be run again: a deadlock or a serialization failure between instances,
// or a unique key another transaction took since this one looked (a
// check-then-insert such as IssueLetter; run again, it finds the row).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001" || pe.Code == "23505")
}

// forUpdate is the row lock a write transaction on PostgreSQL takes on what
// it reads to change: two instances applying events to one run serialise on
// the run's row.
func (t *Tx) forUpdate() string {
	if t.s.pg && t.write {
		return " FOR UPDATE"
	}
	return ""
}
