#!/usr/bin/env bash
# CI for the admin's side: runs the README's "Install as a service" commands
# as written (useradd, install, systemd-analyze verify), then starts the
# installed binary as the mailflow user the way the unit does, asks
# "mailflow doctor -send" about it, reloads it with SIGHUP and stops it.
# As root, on a CI or throwaway machine: it creates the mailflow user and
# writes /usr/local/bin/mailflow, /etc/mailflow and /var/lib/mailflow.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'admin.sh: %s\n' "$*" >&2; }

if ! command -v systemd-analyze >/dev/null; then
	log "installing systemd (for systemd-analyze)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq systemd >/dev/null
fi

# --- the README's commands ---------------------------------------------
go build -trimpath -o bin/mailflow ./cmd/mailflow
id mailflow >/dev/null 2>&1 || useradd --system --home-dir /var/lib/mailflow --shell /usr/sbin/nologin mailflow
install -m 0755 bin/mailflow /usr/local/bin/mailflow
install -d -m 0750 -g mailflow /etc/mailflow
install -m 0640 -g mailflow config.toml /etc/mailflow/config.toml
sed -i 's|^data_dir = .*|data_dir = "/var/lib/mailflow"|' /etc/mailflow/config.toml
install -m 0600 /dev/null /etc/mailflow/env
install -d -m 0700 -o mailflow -g mailflow /var/lib/mailflow
install -m 0644 dist/mailflow.service /etc/systemd/system/mailflow.service
rm -f bin/mailflow && rmdir bin 2>/dev/null || true

out=$(systemd-analyze verify /etc/systemd/system/mailflow.service 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
if [[ -n $out ]]; then # verify exits 0 on some problems: none allowed
	printf 'systemd-analyze verify:\n%s\n' "$out" >&2
	exit 1
fi
log "systemd-analyze verify dist/mailflow.service: ok"

# --- run it as the unit would (no systemd as PID 1 in CI) ----------------
# Embedded mode on ports of its own, so that nothing else is disturbed.
sed -i 's|^\[mail\]$|[mail]\nembedded_imap = "127.0.0.1:21143"\nembedded_smtp = "127.0.0.1:21025"|' /etc/mailflow/config.toml
runuser -u mailflow -- mailflow check -config /etc/mailflow/config.toml >/dev/null
logf=$(mktemp)
(cd /var/lib/mailflow && exec runuser -u mailflow -- /usr/local/bin/mailflow run -config /etc/mailflow/config.toml) >"$logf" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$logf"; }
trap stop EXIT
for _ in $(seq 100); do grep -q "mailflow running" "$logf" && break; sleep 0.1; done
grep -q "mailflow running" "$logf" || { cat "$logf" >&2; exit 1; }
(set -a; . /etc/mailflow/env; runuser -u mailflow -- mailflow doctor -config /etc/mailflow/config.toml -send)
# The runuser child is mailflow itself (exec): signal it by its id.
child=$(pgrep -P "$pid" || echo "$pid")
kill -HUP "$child"
for _ in $(seq 100); do grep -q "config reloaded and applied" "$logf" && break; sleep 0.1; done
grep -q "config reloaded and applied" "$logf" || { cat "$logf" >&2; exit 1; }
kill -TERM "$child"
wait "$pid"
grep -q "mailflow stopped" "$logf" || { cat "$logf" >&2; exit 1; }
stat -c '%a %U' /var/lib/mailflow /var/lib/mailflow/mailflow.db
log "ok: installed, verified, ran as mailflow, doctor passed, SIGHUP reloaded, SIGTERM stopped"
