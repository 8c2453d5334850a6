"""Tampering shows (RNIV AUD-01): the access log and the DMP decision log are chained by SHA-256.

Each row carries ``prev_digest`` (the digest of the row before it) and ``digest``, the SHA-256 of
``prev_digest`` followed by the row's canonical content. Rows are chained at insert under a lock, so
concurrent inserts still make one chain; ``manage.py verify_audit`` walks it and reports the first break.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from identity_registry.append_only import AppendOnlyRecord

CHAIN_EXCLUDED = frozenset({"id", "prev_digest", "digest"})


class ChainedRecord(AppendOnlyRecord):
    """Abstract base of a hash-chained, append-only log."""

    prev_digest = models.CharField("empreinte précédente", max_length=64, blank=True, default="", editable=False)
    digest = models.CharField("empreinte", max_length=64, blank=True, default="", editable=False)

    class Meta:
        abstract = True


def _normalise(value: Any) -> Any:
    # The same value must serialise the same way before the insert and after a read from the database.
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def canonical_content(row: models.Model) -> str:
    """The row's content as canonical JSON: every concrete column but the id and the digests."""
    values = {
        field.attname: _normalise(getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if field.attname not in CHAIN_EXCLUDED
    }
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def row_digest(prev_digest: str, row: models.Model) -> str:
    """SHA-256 of the previous digest followed by the row's canonical content."""
    return hashlib.sha256((prev_digest + canonical_content(row)).encode()).hexdigest()


def _lock_chain(model: type[models.Model]) -> None:
    # One writer at a time per chain, until commit. SQLite serialises writers by itself.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit_chain:{model._meta.db_table}"])


def last_digest(model: type[models.Model]) -> str:
    return model._base_manager.order_by("-pk").values_list("digest", flat=True).first() or ""


@transaction.atomic
def chain_insert(model: type[models.Model], rows: Sequence[models.Model]) -> list[models.Model]:
    """Insert ``rows`` at the end of ``model``'s chain (the one way to write a chained log)."""
    _lock_chain(model)
    prev = last_digest(model)
    for row in rows:
        row.prev_digest = prev
        row.digest = prev = row_digest(prev, row)
    return model._base_manager.bulk_create(rows)


@dataclass(frozen=True)
class ChainBreak:
    pk: Any
    reason: str  # "prev" (the link to the previous row is wrong) or "content" (the row was changed)


def verify_chain(model: type[models.Model], *, anchor: str = "") -> tuple[int, ChainBreak | None]:
    """Walk the chain in insert order; return the rows checked and the first break (None if intact).

    ``anchor`` is the digest of the last row removed by a retention purge, if any.
    """
    prev, count = anchor, 0
    for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        count += 1
        if row.prev_digest != prev:
            return count, ChainBreak(row.pk, "prev")
        if row.digest != row_digest(prev, row):
            return count, ChainBreak(row.pk, "content")
        prev = row.digest
    return count, None


def backfill_chain(model: type[models.Model]) -> None:
    """Chain rows written before the chain existed (data migrations, before the triggers are created)."""
    prev = ""
    for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        digest = row_digest(prev, row)
        model._base_manager.filter(pk=row.pk).update(prev_digest=prev, digest=digest)
        prev = digest
