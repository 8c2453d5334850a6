#!/usr/bin/env bash
# Issue 10: a streaming replica of the local PostgreSQL 15 (127.0.0.1:5432) on 127.0.0.1:5433, for the
# replica test (tests/identity_registry/test_issue10_replica.py). Run as root (CI is).
#   .ci/replica.sh start   # idempotent: a replica already streaming on the port is kept
#   .ci/replica.sh stop
# The primary must allow replication: wal_level=replica (the default), max_wal_senders > 0, and a
# "replication" line in pg_hba.conf (added here, then the configuration is reloaded).
set -euo pipefail

PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/var/tmp/registry-replica-$REPLICA_PORT}
# A replication slot keeps the WAL the replica still needs, however busy the primary (dropped by "stop").
SLOT=registry_replica_$REPLICA_PORT
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_postgres() { runuser -u postgres -- "$@"; }
primary_sql() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U root -d postgres -tAc "$1"; }
replica_sql() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U root -d postgres -tAc "$1"; }

allow_replication() {
  local hba
  hba=$(primary_sql "SHOW hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
    sleep 1
  fi
  local level senders
  level=$(primary_sql "SHOW wal_level")
  senders=$(primary_sql "SHOW max_wal_senders")
  if [ "$level" = minimal ] || [ "$senders" = 0 ]; then
    echo "the primary cannot stream: wal_level=$level max_wal_senders=$senders (restart it after ALTER SYSTEM)" >&2
    exit 1
  fi
}

streaming() {
  pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" && [ "$(replica_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ]
}

write_config() {
  # pg_basebackup copies the data directory; Debian keeps postgresql.conf and pg_hba.conf in /etc.
  local setting
  {
    echo "port = $REPLICA_PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$REPLICA_DIR'"
    echo "hot_standby = on"
    echo "shared_buffers = 32MB"
    echo "logging_collector = off"
    # A hot standby needs at least the primary's values of these.
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
      max_locks_per_transaction; do
      echo "$setting = $(primary_sql "SHOW $setting")"
    done
  } >"$REPLICA_DIR/postgresql.conf"
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$REPLICA_DIR/pg_hba.conf"
  : >"$REPLICA_DIR/pg_ident.conf"
  chown postgres:postgres "$REPLICA_DIR"/postgresql.conf "$REPLICA_DIR"/pg_hba.conf "$REPLICA_DIR"/pg_ident.conf
}

start() {
  if streaming; then
    echo "replica already streaming on 127.0.0.1:$REPLICA_PORT"
    return
  fi
  if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
    echo "127.0.0.1:$REPLICA_PORT answers but is not a standby: refusing to touch it" >&2
    exit 1
  fi
  allow_replication
  # A stopped replica of an earlier run would have to catch up (or may have lost its WAL): take a new copy.
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$REPLICA_DIR"
  drop_slot
  install -d -o postgres -g postgres -m 0700 "$REPLICA_DIR"
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" \
    -R -X stream -c fast -C -S "$SLOT"
  write_config
  # A busy primary may keep the standby replaying for a while before it accepts connections.
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w -t 180 start >/dev/null || true
  for _ in $(seq 1 60); do
    streaming && break
    sleep 1
  done
  if ! streaming; then
    echo "the replica did not start streaming" >&2
    tail -n 30 "$REPLICA_DIR/server.log" >&2 || true
    exit 1
  fi
  echo "replica streaming on 127.0.0.1:$REPLICA_PORT (data in $REPLICA_DIR)"
}

drop_slot() {
  primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
               WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
}

stop() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
    echo "replica on 127.0.0.1:$REPLICA_PORT stopped"
  fi
  # Without its replica, the slot would make the primary keep WAL for ever.
  sleep 1
  drop_slot
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
