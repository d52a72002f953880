package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A lease gives one instance a job that only one may do at a time, such
// as watching a mailbox, on a store that several instances share. It is a
// row with a holder, an expiry on the database's clock (the hosts' clocks
// do not matter) and a generation that grows at every change of hands. The
// holder renews it every few seconds; when it stops, another instance
// takes the row over once it has expired, with the next generation.
//
// Fencing: a context made by WithFence makes every Update run under it
// first check, in its own transaction, that the lease is still this
// generation's and unexpired, holding the row (FOR SHARE on PostgreSQL) so
// that no takeover commits in between. An instance that was paused past
// its lease therefore cannot commit anything for the mailbox when it
// resumes: its transactions fail with ErrLeaseLost.

// ErrLeaseLost is returned by a fenced Update, or by Renew, when the lease
// expired or another instance holds it now.
var ErrLeaseLost = errors.New("lease lost: another instance holds it, or it expired")

// Lease is a held lease.
type Lease struct {
	Name, Holder string
	Gen          int64
	TTL          time.Duration
	s            *Store
}

// LeaseInfo is a lease's row, for /readyz and the console.
type LeaseInfo struct {
	Name, Holder string
	Gen          int64
	Expires      time.Time
	Live         bool // unexpired on the database's clock
}

// nowMS is the database's clock in Unix milliseconds, per dialect.
const nowMS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
const pgNowMS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"

// leaseStmt registers a statement using NOW_MS for both dialects.
func leaseStmt(q string) string {
	return pgVariant(strings.ReplaceAll(q, "NOW_MS", nowMS), strings.ReplaceAll(q, "NOW_MS", pgNowMS))
}

var (
	qLeaseGet   = leaseStmt("SELECT holder, generation, expires, NOW_MS FROM leases WHERE name = ? FOR UPDATE")
	qLeaseNew   = leaseStmt("INSERT INTO leases (name, holder, generation, expires) VALUES (?, ?, 1, NOW_MS + ?) ON CONFLICT DO NOTHING")
	qLeaseTake  = leaseStmt("UPDATE leases SET holder = ?, generation = generation + 1, expires = NOW_MS + ? WHERE name = ? AND generation = ? RETURNING generation")
	qLeaseRenew = leaseStmt("UPDATE leases SET expires = NOW_MS + ? WHERE name = ? AND holder = ? AND generation = ? AND expires > NOW_MS")
	qLeaseFence = leaseStmt("SELECT 1 FROM leases WHERE name = ? AND holder = ? AND generation = ? AND expires > NOW_MS FOR SHARE")
	qLeaseFree  = leaseStmt("UPDATE leases SET expires = 0 WHERE name = ? AND holder = ? AND generation = ?")
	qLeaseList  = leaseStmt("SELECT name, holder, generation, expires, expires > NOW_MS FROM leases ORDER BY name")
)

// sqliteLock drops the row-lock clauses SQLite does not have (its one
// writer at a time already serialises these transactions).
func sqliteLock(q string) string {
	q = strings.TrimSuffix(q, " FOR UPDATE")
	return strings.TrimSuffix(q, " FOR SHARE")
}

func (t *Tx) leaseSQL(q string) string {
	if t.s.pg {
		return q
	}
	return sqliteLock(q)
}

// Acquire takes the lease name for holder if it is free or expired, for
// ttl; it returns nil when a live holder has it.
func (s *Store) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (*Lease, error) {
	var l *Lease
	err := s.Update(ctx, func(tx *Tx) error {
		l = nil
		var cur string
		var gen, exp, now int64
		err := tx.queryRow(tx.leaseSQL(qLeaseGet), name).Scan(&cur, &gen, &exp, &now)
		if errors.Is(err, sql.ErrNoRows) {
			res, err := tx.exec(qLeaseNew, name, holder, ttl.Milliseconds())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				l = &Lease{Name: name, Holder: holder, Gen: 1, TTL: ttl, s: s}
			}
			return nil
		}
		if err != nil || exp > now {
			return err // held and live (by us too: a second Acquire is not a renewal)
		}
		if err := tx.queryRow(qLeaseTake, holder, ttl.Milliseconds(), name, gen).Scan(&gen); err != nil {
			return err
		}
		l = &Lease{Name: name, Holder: holder, Gen: gen, TTL: ttl, s: s}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lease %s: %w", name, err)
	}
	return l, nil
}

// Renew extends the lease by its TTL from now; ErrLeaseLost if it expired
// or changed hands meanwhile.
func (l *Lease) Renew(ctx context.Context) error {
	return l.s.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(qLeaseRenew, l.TTL.Milliseconds(), l.Name, l.Holder, l.Gen)
		if err != nil {
			return fmt.Errorf("renew lease %s: %w", l.Name, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("renew lease %s generation %d: %w", l.Name, l.Gen, ErrLeaseLost)
		}
		return nil
	})
}

// Release gives the lease up at once (a clean stop), so that another
// instance need not wait for it to expire.
func (l *Lease) Release(ctx context.Context) error {
	return l.s.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(qLeaseFree, l.Name, l.Holder, l.Gen)
		return err
	})
}

// Leases lists every lease: who holds which mailbox.
func (s *Store) Leases(ctx context.Context) ([]LeaseInfo, error) {
	var out []LeaseInfo
	err := s.View(ctx, func(tx *Tx) error {
		out = nil
		rows, err := tx.query(qLeaseList)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var li LeaseInfo
			var exp int64
			if err := rows.Scan(&li.Name, &li.Holder, &li.Gen, &exp, &li.Live); err != nil {
				return err
			}
			li.Expires = fromMS(exp)
			out = append(out, li)
		}
		return rows.Err()
	})
	return out, err
}

type fenceKey struct{}

// WithFence returns a context under which every Update is fenced by l.
func WithFence(ctx context.Context, l *Lease) context.Context {
	return context.WithValue(ctx, fenceKey{}, l)
}

// FenceOf returns the lease ctx is fenced by, if any.
func FenceOf(ctx context.Context) *Lease {
	l, _ := ctx.Value(fenceKey{}).(*Lease)
	return l
}

// fence checks, first in a fenced transaction, that its lease still holds.
func (t *Tx) fence(l *Lease) error {
	var one int
	err := t.queryRow(t.leaseSQL(qLeaseFence), l.Name, l.Holder, l.Gen).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lease %s generation %d: %w", l.Name, l.Gen, ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("check lease %s: %w", l.Name, err)
	}
	return nil
}
