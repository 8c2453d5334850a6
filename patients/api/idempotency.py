"""Idempotent POST: a retried request with the same ``Idempotency-Key`` gets the first response back.

The request's work and its record (key, fingerprint, response) commit together, the record written last
(issue 10: with the last event, in one statement). The unique constraint on (user, scope, key) settles the
race between two twins: on PostgreSQL the second one's INSERT waits on the unique index until the first
transaction ends; if the first committed, the second finds the key taken, rolls its own work back and
replays the stored response; if the first rolled back (an error), the second simply goes ahead. A retry
after the first committed is told apart the same way, at the end (its work, rolled back, left no trace).
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework import status

from identity_registry.exceptions import ApplicationError, InvalidInput
from patients.events import events_held, write_held_events
from patients.records import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")


class IdempotencyKeyReused(ApplicationError):
    """The key was already used for a different request body (IETF httpapi idempotency-key draft: 422)."""

    http_status = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    replayed: bool


def idempotency_key(headers: Any) -> str | None:
    """Read and check the Idempotency-Key header; None when absent."""
    raw = headers.get(HEADER)
    if raw is None:
        return None
    if not KEY_PATTERN.match(raw):
        message = "L'en-tête Idempotency-Key doit faire de 1 à 255 caractères ASCII visibles (un UUID par exemple)."
        raise InvalidInput(message, details={HEADER: [message]})
    return raw


def request_fingerprint(data: Any) -> str:
    """Hash the request body so a key reused for another request is recognised."""
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> StoredResponse:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une nouvelle clé.",
            details={HEADER: ["Clé déjà utilisée avec un contenu différent."]},
        )
    return StoredResponse(record.response_status, record.response_body, replayed=True)


class _KeyTaken(Exception):
    """The key was recorded by a request that committed first: undo this one's work, replay that one's."""


def idempotent_call(
    *, user: Any, scope: str, key: str, fingerprint: str, produce: Callable[[], tuple[int, Any]]
) -> StoredResponse:
    """Run ``produce`` once per (user, scope, key) and store its (status, JSON body); replay it afterwards.

    ``produce`` runs inside this function's transaction (no savepoint of its own needed).
    """
    try:
        with transaction.atomic():
            with events_held() as events:
                response_status, body = produce()
            record = IdempotencyRecord(
                user=user,
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                response_status=response_status,
                response_body=body,
                created_at=timezone.now(),
            )
            recorded = write_held_events(events, companion=_insert_unless_taken(record))
            if recorded is None:
                recorded = _save_unless_taken(record)
            if not recorded:
                raise _KeyTaken
    except _KeyTaken:
        return _replay(IdempotencyRecord.objects.get(user=user, scope=scope, key=key), fingerprint)
    return StoredResponse(response_status, body, replayed=False)


def _insert_unless_taken(record: IdempotencyRecord) -> tuple[str, list] | None:
    """The record's INSERT, doing nothing when the key is taken, with RETURNING (PostgreSQL), else None."""
    if connection.vendor != "postgresql":
        return None
    names = ("user_id", "key", "scope", "fingerprint", "response_status", "response_body", "created_at")
    fields = [IdempotencyRecord._meta.get_field(name) for name in names]
    sql = (
        f"INSERT INTO {IdempotencyRecord._meta.db_table} ({', '.join(names)}) "  # noqa: S608 - constant names
        f"VALUES ({', '.join(['%s'] * len(names))}) ON CONFLICT (user_id, scope, key) DO NOTHING RETURNING id"
    )
    return sql, [field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields]


def _save_unless_taken(record: IdempotencyRecord) -> bool:
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        return False
    return True
