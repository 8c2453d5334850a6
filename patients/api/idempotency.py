"""Idempotent POST: a retried request with the same ``Idempotency-Key`` gets the first response back.

The unique constraint on (user, scope, key) settles the race between two concurrent twins: on PostgreSQL
the second INSERT waits on the unique index until the first transaction ends, then fails and replays the
stored response; if the first one rolled back (an error), the second simply goes ahead.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework import status

from identity_registry.exceptions import ApplicationError, InvalidInput
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


@transaction.atomic
def idempotent_call(
    *, user: Any, scope: str, key: str, fingerprint: str, produce: Callable[[], tuple[int, Any]]
) -> StoredResponse:
    """Run ``produce`` once per (user, scope, key) and store its (status, JSON body); replay it afterwards."""
    existing = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, scope=scope, key=key, fingerprint=fingerprint)
    except IntegrityError:
        # A twin committed first while we waited on the unique index: give its response back.
        return _replay(IdempotencyRecord.objects.get(user=user, scope=scope, key=key), fingerprint)
    response_status, body = produce()
    record.response_status = response_status
    record.response_body = body
    record.save(update_fields=["response_status", "response_body"])
    return StoredResponse(response_status, body, replayed=False)
