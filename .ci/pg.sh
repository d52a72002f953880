#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store's PostgreSQL tests and
# prints the export that turns them on:
#   eval "$(bash .ci/pg.sh)"
# Debian's postgresql is installed if missing; the cluster lives in
# $MAILFLOW_PG_DIR (default /tmp/mailflow-pg), runs as the postgres user and
# listens on 127.0.0.1:$MAILFLOW_PG_PORT (default 55432) only. Running it
# again reuses a running cluster. `bash .ci/pg.sh stop` stops it.
set -euo pipefail
dir=${MAILFLOW_PG_DIR:-/tmp/mailflow-pg}
port=${MAILFLOW_PG_PORT:-55432}

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ "${1:-}" = stop ]; then
	bin=$(bindir)
	[ -n "$bin" ] && [ -f "$dir/PG_VERSION" ] && su postgres -c "$bin/pg_ctl -D $dir -m fast stop" >&2 || true
	exit 0
fi

if [ -z "$(bindir)" ]; then
	{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >&2
fi
bin=$(bindir)

if [ ! -f "$dir/PG_VERSION" ]; then
	mkdir -p "$dir"
	chown postgres:postgres "$dir"
	chmod 700 "$dir"
	su postgres -c "$bin/initdb -D $dir -A trust -U postgres -E UTF8" >&2
fi
if ! su postgres -c "$bin/pg_ctl -D $dir status" >/dev/null 2>&1; then
	# fsync off: a test cluster, thrown away; it keeps CI fast on 2 cores.
	su postgres -c "$bin/pg_ctl -D $dir -l $dir/log -w -o '-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c max_connections=300' start" >&2
fi
su postgres -c "$bin/psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'mailflow_test'\"" | grep -q 1 ||
	su postgres -c "$bin/createdb -h 127.0.0.1 -p $port -U postgres mailflow_test" >&2
echo "export MAILFLOW_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/mailflow_test?sslmode=disable'"
