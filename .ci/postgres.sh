#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests, on 127.0.0.1 and a free port, in a temporary directory.
#   .ci/postgres.sh start   → prints the SQLAlchemy URL on stdout (everything else goes to stderr)
#   .ci/postgres.sh stop    → stops it and removes its directory
# Installs the Debian package when no PostgreSQL binaries are present. Exits non-zero when it cannot start.
set -euo pipefail
STATE="${CROWDCULTURE_PG_STATE:-${TMPDIR:-/tmp}/crowdculture-pg.state}"
DBNAME=crowdculture_test

log() { echo "postgres.sh: $*" >&2; }

as_owner() {  # run a PostgreSQL binary as the postgres user when we are root (initdb refuses root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start() {
  local bin dir port
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    [ "$(id -u)" = 0 ] || { log "PostgreSQL is not installed and installing it needs root"; exit 1; }
    log "installing PostgreSQL (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 \
      || { log "apt-get could not install postgresql"; exit 1; }
    bin=$(find_bin)
    [ -n "$bin" ] || { log "no PostgreSQL binaries under /usr/lib/postgresql after installing"; exit 1; }
  fi
  if [ -f "$STATE" ]; then
    log "a server from an earlier run is recorded in $STATE; stopping it first"
    stop || true
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/crowdculture-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "$dir $bin $port" > "$STATE"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >&2 \
    || { log "initdb failed"; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off" start >&2 \
    || { log "the server did not start; its log:"; cat "$dir/server.log" >&2 || true; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DBNAME" >&2 \
    || { log "createdb failed"; exit 1; }
  log "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port, data in $dir"
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/$DBNAME"
}

stop() {
  [ -f "$STATE" ] || { log "nothing to stop"; return 0; }
  local dir bin port
  read -r dir bin port < "$STATE"
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed"
  fi
  case "$dir" in */crowdculture-pg.*) rm -rf "$dir" ;; esac
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
