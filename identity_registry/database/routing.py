"""Which database serves a query: the primary unless the view said lag is fine and nothing forbids it (issue 10).

The replica is chosen only when all of these hold:

- the request runs a view that declares ``reads_from_replica`` (``@replica_reads``: the patient search, the
  lists that read reference data, the events feed to consumers; an admin ``ModelAdmin`` says it for its
  list screen with ``changelist_reads_from_replica``, GET only), or code opted in with ``replica_reads_block()``
  (a batch job reading for a report);
- the request is not pinned to the primary: no write of its own yet, and no pin cookie from a write of the
  same browser or client a few seconds ago (``REPLICA_PIN_SECONDS``, see the middleware);
- the model is not one whose reads must see revocations at once: accounts, groups, permissions, sessions,
  API tokens, log-in lockouts (``NEVER_FROM_REPLICA``);
- no transaction is open on the primary (a read inside ``atomic`` prepares a write: it reads the primary).

Writes always go to the primary, and so do reads that take locks (``select_for_update`` asks for the write
database). A write pins the rest of the request to the primary, and the middleware sets the pin cookie;
bookkeeping writes that change nothing a reader would look for (the access log of a search, the session,
the token's last use, log-in records: ``BOOKKEEPING``) pin nothing, or every search would pin its agent.
Outside a request (management commands, jobs) everything reads the primary unless a block opts in.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
# Read on the primary whatever the view says: authorisation data must see a revocation immediately.
NEVER_FROM_REPLICA_APPS = frozenset({"auth", "authtoken", "sessions", "axes", "contenttypes", "admin"})
# The access log too: a chained insert reads the last digest (inside its transaction, hence on the primary
# anyway; listed so that no future read outside one could link a row to a stale digest).
NEVER_FROM_REPLICA = frozenset(
    {"patients.apitokenstate", "patients.idempotencyrecord", "insi.insibreaker", "patients.patientaccess"}
)
# Writes that do not pin the session to the primary: nothing a later read of this client depends on.
BOOKKEEPING_APPS = frozenset({"sessions", "axes"})
BOOKKEEPING = frozenset({"patients.patientaccess", "patients.apitokenstate"})

V = TypeVar("V")


@dataclass
class Routing:
    """The routing state of one request (or one ``replica_reads_block``)."""

    replica_allowed: bool = False
    pinned: bool = False  # reads go to the primary from now on
    wrote: bool = False  # a write that pins the client (the middleware sets the cookie)
    replica: str | None = None  # one replica for the whole request: its reads see one point in time


_routing: ContextVar[Routing | None] = ContextVar("database_routing", default=None)


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def current() -> Routing | None:
    return _routing.get()


@contextmanager
def routing_scope(routing: Routing) -> Iterator[Routing]:
    token = _routing.set(routing)
    try:
        yield routing
    finally:
        _routing.reset(token)


@contextmanager
def replica_reads_block() -> Iterator[Routing]:
    """Reads in this block may come from a replica (a job's report); its writes still go to the primary."""
    with routing_scope(Routing(replica_allowed=True)) as routing:
        yield routing


def replica_reads(view: V) -> V:
    """Declare that a view's reads tolerate replication lag (a class-based view or a function)."""
    view.reads_from_replica = True  # type: ignore[attr-defined]
    return view


def view_reads_from_replica(view_func: Any, method: str) -> bool:
    """Whether the resolved view declared it (DRF and Django views carry their class; admin views their admin)."""
    if getattr(view_func, "reads_from_replica", False):
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    if getattr(view_class, "reads_from_replica", False):
        return True
    model_admin = getattr(view_func, "model_admin", None)
    return (
        model_admin is not None
        and getattr(view_func, "__name__", "") == "changelist_view"
        and method in ("GET", "HEAD")
        and getattr(model_admin, "changelist_reads_from_replica", False)
    )


def _label(model: Any) -> tuple[str, str]:
    return model._meta.app_label, model._meta.label_lower


class PrimaryReplicaRouter:
    """Django database router (``DATABASE_ROUTERS``); see the module docstring for the rules."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        routing = _routing.get()
        if routing is None or not routing.replica_allowed or routing.pinned:
            return PRIMARY
        app, label = _label(model)
        if app in NEVER_FROM_REPLICA_APPS or label in NEVER_FROM_REPLICA:
            return PRIMARY
        names = replicas()
        if not names or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if routing.replica not in names:
            routing.replica = random.choice(names)  # load spreading, not security
        return routing.replica

    def db_for_write(self, model: Any, **hints: Any) -> str:
        routing = _routing.get()
        app, label = _label(model)
        if routing is not None and app not in BOOKKEEPING_APPS and label not in BOOKKEEPING:
            routing.pinned = True
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Replicas hold the primary's rows: an object read on a replica may point at one read on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # A replica replays the primary's schema changes; migrating it directly would fail (read-only).
        return db not in replicas()
