package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/store"
)

// postgres checks a PostgreSQL store ([store] url) without changing it:
// the login, that it is the primary, that the schema can be created or is
// one this mailflow knows, that a standby streams from it, and who holds
// which mailbox. A SQLite store is the data directory's check.
func (d *doctor) postgres(ctx context.Context) {
	c := d.opt.Config.Store
	if !c.Postgres() {
		return
	}
	const name = "store"
	ctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
	defer cancel()
	loc := c.URL.Reveal()
	p, err := store.ProbePostgres(ctx, loc)
	switch {
	case err != nil && store.PGAuthFailed(err):
		d.fail(name, err.Error(), "the server refused the login: check the role and its password (in the URL of [store] url_env, or in ~/.pgpass of the user mailflow runs as) and pg_hba.conf allows this host")
		return
	case err != nil && store.PGNoDatabase(err):
		d.fail(name, err.Error(), "create it: createdb -O ROLE DATABASE (mailflow creates its tables itself)")
		return
	case err != nil && !errors.Is(err, store.ErrPGConnect):
		d.fail(name, err.Error(), "the server answered but the check failed: read the error; the role needs to read pg_catalog and its own schema")
		return
	case err != nil:
		d.fail(name, err.Error(), "check the host and port in [store] url, that PostgreSQL listens there (listen_addresses) and that a firewall lets this host in")
		return
	}
	where := fmt.Sprintf("PostgreSQL %s, database %s, schema %s, role %s", p.Server, p.Database, p.Schema, p.Role)
	switch {
	case p.InRecovery:
		d.fail(name, where+": this server is a standby (read-only)", "point [store] url at the primary, or list every host and add target_session_attrs=read-write: postgres://ROLE@db1,db2/DATABASE?target_session_attrs=read-write")
	case p.Version > p.Known:
		d.fail(name, fmt.Sprintf("%s: schema version %d, this mailflow knows %d", where, p.Version, p.Known), "run the newer mailflow that wrote it, or restore a backup")
	case p.Version < p.Known && !p.CanCreate:
		d.fail(name, fmt.Sprintf("%s: schema version %d of %d, and the role may not create tables there", where, p.Version, p.Known),
			fmt.Sprintf("let the role create them: GRANT CREATE ON DATABASE %s TO %s (or make it the schema's owner)", p.Database, p.Role))
	case p.Version == 0:
		d.ok(name, where+": new, mailflow creates its tables at start")
	case p.Version < p.Known:
		d.ok(name, fmt.Sprintf("%s: schema version %d, migrated to %d at start", where, p.Version, p.Known))
	default:
		d.ok(name, fmt.Sprintf("%s: schema version %d", where, p.Version))
	}
	switch {
	case p.InRecovery:
	case p.Replicas < 0:
		d.skip("store replica", fmt.Sprintf("role %s may not see pg_stat_replication (GRANT pg_monitor TO %s to check)", p.Role, p.Role))
	case p.Replicas == 0:
		d.warn("store replica", "no standby streams from this server: if it is lost, so is every office's state since the last backup",
			"set up a streaming replica (pg_basebackup -R on the standby) and promote it when the primary dies; see the README, \"One office or many\"")
	default:
		detail := fmt.Sprintf("%d standby(s) streaming", p.Replicas)
		if p.SyncStandbys == "" {
			detail += "; asynchronous: a commit acknowledged just before the primary dies may be missing on the standby"
		} else {
			detail += "; synchronous_standby_names = " + p.SyncStandbys
		}
		d.ok("store replica", detail)
	}
	var held []string
	now := d.opt.Now()
	for _, l := range p.Leases {
		state := "expired " + now.Sub(l.Expires).Round(time.Second).String() + " ago"
		if l.Live {
			state = "live"
		}
		held = append(held, fmt.Sprintf("%s: %s (generation %d, %s)", l.Name, l.Holder, l.Gen, state))
	}
	if len(held) > 0 {
		d.ok("mailbox lease", strings.Join(held, "; "))
	}
}
