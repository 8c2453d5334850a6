"""Retention of what the registry keeps only for a while: document scans (RNIV ID-09), idempotency records.

Both purges are safe to run daily: a second run finds nothing left to delete and writes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from identity_registry.audit_chain import chain_insert
from identity_registry.history import stamp_history
from patients import reasons
from patients.models import IdentityDocument, Patient
from patients.records import IdempotencyRecord, RetentionPurge

# The label under which scan purges are logged beside the audit-log purges (patients/retention.py).
SCAN_PURGE_TABLE = "patients.IdentityDocument.scan"


@dataclass(frozen=True)
class ScanPurgeResult:
    cutoff: datetime
    purged: int
    record: RetentionPurge | None


def scans_due_for_purge(*, cutoff: datetime) -> list[int]:
    """Documents whose scan is kept and whose identity has had no activity since ``cutoff`` (ID-09).

    The identity's last activity is its last change or its last document check, whichever is later.
    """
    last_check = Patient.objects.annotate(last_check=Max("documents__checked_at")).filter(
        updated_at__lt=cutoff, last_check__lt=cutoff
    )
    return list(
        IdentityDocument.objects.filter(patient__in=last_check.values("pk"))
        .exclude(Q(scan="") | Q(scan__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def _purge_one(pk: int, *, actor: Any, now: datetime) -> bool:
    document = IdentityDocument.objects.select_for_update().get(pk=pk)
    if not document.scan:
        return False
    # The file goes first: should the row's update fail, the next run finds the row again and converges.
    document.scan.storage.delete(document.scan.name)
    document.scan = ""
    document.scan_purged_at = now
    stamp_history(document, actor=actor, reason_code=reasons.SCAN_PURGED)
    document.save()
    return True


def document_scans_purge(*, actor: Any = None, actor_name: str, days: int | None = None) -> ScanPurgeResult:
    """Delete the scans past retention, keep each document's record and type, log the purge (ID-09, AUD-01)."""
    days = settings.ID_SCAN_RETENTION_DAYS if days is None else days
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    purged = sum(_purge_one(pk, actor=actor, now=now) for pk in scans_due_for_purge(cutoff=cutoff))
    if not purged:
        return ScanPurgeResult(cutoff, 0, None)
    with transaction.atomic():
        (record,) = chain_insert(
            RetentionPurge,
            [
                RetentionPurge(
                    purged_at=now,
                    table=SCAN_PURGE_TABLE,
                    before=cutoff,
                    rows_deleted=purged,
                    actor=actor_name,
                    reason=f"Copies numérisées des justificatifs : conservation de {days} jours après la dernière "
                    "activité de l'identité dépassée (ID-09).",
                )
            ],
        )
    return ScanPurgeResult(cutoff, purged, record)


def idempotency_records_purge(*, hours: int | None = None) -> int:
    """Delete the idempotency records older than ``IDEMPOTENCY_RETENTION_HOURS``; return how many.

    They hold response bodies with traits: a retry comes within minutes, not days. A retry later than the
    delay is treated as a new request.
    """
    hours = settings.IDEMPOTENCY_RETENTION_HOURS if hours is None else hours
    cutoff = timezone.now() - timedelta(hours=hours)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
