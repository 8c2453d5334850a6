"""Database settings from the environment: the primary, its replicas, and a transaction pooler (issue 10).

- ``DATABASE_REPLICA_URLS``: comma-separated URLs of streaming replicas, named ``replica1``, ``replica2``…
  In tests each replica mirrors the test database of ``default`` (same name, on the replica's server).
- ``DATABASE_POOLER=pgbouncer``: the URLs point at pgbouncer in transaction mode. Server-side cursors are
  off (a cursor would outlive the transaction that pgbouncer lends a server connection for) and psycopg
  does not prepare statements (a prepared statement lives on one server connection only).
"""

from typing import Any

import dj_database_url

POOLERS = {"", "pgbouncer"}


def replica_aliases(count: int) -> list[str]:
    return [f"replica{i}" for i in range(1, count + 1)]


def pooled(database: dict[str, Any], pooler: str) -> dict[str, Any]:
    """The settings of one connection behind ``pooler`` (unchanged when there is none)."""
    if pooler not in POOLERS:
        raise ValueError(f"DATABASE_POOLER must be one of {sorted(POOLERS)}, not {pooler!r}")
    if pooler == "pgbouncer" and database["ENGINE"] == "django.db.backends.postgresql":
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None
    return database


def replica_databases(urls: list[str], *, conn_max_age: int, pooler: str = "") -> dict[str, dict[str, Any]]:
    """``replica1``… settings from their URLs; tests read them as mirrors of ``default``."""
    databases = {}
    for alias, url in zip(replica_aliases(len(urls)), urls, strict=True):
        database = dj_database_url.parse(url, conn_max_age=conn_max_age)
        database["TEST"] = {"MIRROR": "default"}
        databases[alias] = pooled(database, pooler)
    return databases
