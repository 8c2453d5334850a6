#!/usr/bin/env bash
# Issue 10: pgbouncer in transaction mode on 127.0.0.1:6433 in front of the local PostgreSQL (5432), for
# tests/identity_registry/test_issue10_pgbouncer.py. Run as root (CI is); pgbouncer itself runs as postgres.
#   .ci/pgbouncer.sh start   # idempotent: one already answering on the port is kept
#   .ci/pgbouncer.sh stop
set -euo pipefail

PORT=${PGBOUNCER_PORT:-6433}
DIR=${PGBOUNCER_DIR:-/var/tmp/registry-pgbouncer-$PORT}

start() {
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    echo "pgbouncer already answering on 127.0.0.1:$PORT"
    return
  fi
  if ! command -v pgbouncer >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null || {
      apt-get update -qq && apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
    }
  fi
  install -d -o postgres -g postgres -m 0700 "$DIR"
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir = $DIR
auth_type = trust
auth_file = $DIR/userlist.txt
admin_users = root
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
server_idle_timeout = 10
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  echo '"root" ""' >"$DIR/userlist.txt"
  chown postgres:postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  rm -f "$DIR/pgbouncer.pid"
  runuser -u postgres -- pgbouncer -d "$DIR/pgbouncer.ini"
  for _ in $(seq 1 20); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
  done
  if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    echo "pgbouncer did not start" >&2
    tail -n 20 "$DIR/pgbouncer.log" >&2 || true
    exit 1
  fi
  echo "pgbouncer (transaction mode) on 127.0.0.1:$PORT"
}

stop() {
  if [ -f "$DIR/pgbouncer.pid" ]; then
    kill "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null || true
    rm -f "$DIR/pgbouncer.pid"
    echo "pgbouncer on 127.0.0.1:$PORT stopped"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
