"""Services of the identity access log (RNIV AUD-03): every read of an identity records who and when."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from identity_registry.audit_chain import chain_insert
from patients.models import Patient
from patients.records import PatientAccess


@transaction.atomic
def patient_record_access(
    *, actor: Any, patients: Iterable[Patient], action: str, channel: str = PatientAccess.Channel.API
) -> int:
    """Record that ``actor`` read each of ``patients``; return how many rows were written (AUD-03)."""
    # One instant for the batch, read through timezone.now at call time (a field default is bound at import).
    now = timezone.now()
    rows = [
        PatientAccess(patient=patient, user=actor, action=action, channel=channel, accessed_at=now)
        for patient in patients
    ]
    # The access log is append-only and hash-chained (AUD-01), not historised: one locked bulk insert.
    chain_insert(PatientAccess, rows)
    return len(rows)
