package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PGProbe is what "mailflow doctor" learns about a PostgreSQL store
// without changing it (Open would create and migrate the tables).
type PGProbe struct {
	Server     string // server_version
	Database   string
	Role       string
	Schema     string // where the tables are (search_path's first schema)
	InRecovery bool   // a standby: read-only, mailflow cannot write
	// Version is the store's schema version (0: not created yet) and
	// Known the newest this mailflow knows.
	Version, Known int
	// CanCreate tells whether the role may create the schema's tables:
	// needed when the store is new or behind.
	CanCreate bool
	// Replicas is how many standbys stream from this server, -1 when the
	// role may not see pg_stat_replication (pg_monitor).
	Replicas int
	// SyncStandbys is synchronous_standby_names ("": commits do not wait
	// for a standby).
	SyncStandbys string
	Leases       []LeaseInfo
}

// ProbePostgres connects to loc and reads what PGProbe says, read-only.
func ProbePostgres(ctx context.Context, loc string) (*PGProbe, error) {
	cfg, err := pgx.ParseConfig(loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Redact(loc), err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w to %s: %w", ErrPGConnect, Redact(loc), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	p := &PGProbe{Known: len(pgMigrations)}
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'), current_database(), current_user,
		COALESCE((current_schemas(false))[1], ''), pg_is_in_recovery(), current_setting('synchronous_standby_names')`).
		Scan(&p.Server, &p.Database, &p.Role, &p.Schema, &p.InRecovery, &p.SyncStandbys)
	if err != nil {
		return nil, fmt.Errorf("read the server's settings: %w", err)
	}
	want := cfg.RuntimeParams["search_path"]
	if i := strings.IndexByte(want, ','); i >= 0 {
		want = want[:i]
	}
	want = strings.Trim(strings.TrimSpace(want), `"`)
	if p.Schema == "" || (want != "" && want != p.Schema) {
		// current_schemas lists only schemas that exist: a new office's
		// schema is created at first start.
		p.Schema = want
		if p.Schema == "" {
			p.Schema = "public"
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass(quote_ident($1) || '.schema_version') IS NOT NULL`, p.Schema).Scan(&exists); err != nil {
		return nil, fmt.Errorf("look for the schema version: %w", err)
	}
	if exists {
		q := fmt.Sprintf("SELECT COALESCE(MAX(version), 0) FROM %s.schema_version", pgx.Identifier{p.Schema}.Sanitize())
		if err := conn.QueryRow(ctx, q).Scan(&p.Version); err != nil {
			return nil, fmt.Errorf("read the schema version: %w", err)
		}
	}
	// CREATE on the schema if it exists, else on the database (to make it).
	err = conn.QueryRow(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)
		THEN has_schema_privilege($1, 'CREATE') ELSE has_database_privilege(current_database(), 'CREATE') END`, p.Schema).Scan(&p.CanCreate)
	if err != nil {
		return nil, fmt.Errorf("read the role's privileges: %w", err)
	}
	p.Replicas = -1
	var visible bool
	err = conn.QueryRow(ctx, `SELECT pg_has_role('pg_monitor', 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)`).Scan(&visible)
	if err == nil && visible {
		if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM pg_stat_replication WHERE state = 'streaming'`).Scan(&p.Replicas); err != nil {
			return nil, fmt.Errorf("read pg_stat_replication: %w", err)
		}
	}
	if p.Version >= 7 { // the leases table came with migration 7
		q := fmt.Sprintf("SELECT name, holder, generation, expires, expires > %s FROM %s.leases ORDER BY name", pgNowMS, pgx.Identifier{p.Schema}.Sanitize())
		rows, err := conn.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read the leases: %w", err)
		}
		for rows.Next() {
			var l LeaseInfo
			var exp int64
			if err := rows.Scan(&l.Name, &l.Holder, &l.Gen, &exp, &l.Live); err != nil {
				rows.Close()
				return nil, err
			}
			l.Expires = fromMS(exp)
			p.Leases = append(p.Leases, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ErrPGConnect marks a probe that could not log in at all.
var ErrPGConnect = errors.New("cannot connect")

// PGAuthFailed tells whether err is the server refusing the login (wrong
// password, no pg_hba.conf entry), as opposed to not being reachable.
func PGAuthFailed(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000")
}

// PGNoDatabase tells whether err says the database does not exist.
func PGNoDatabase(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "3D000"
}
