"""Services of the identity access log (RNIV AUD-03): every read of an identity records who and when."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from patients.models import Patient
from patients.records import PatientAccess


@transaction.atomic
def patient_record_access(
    *, actor: Any, patients: Iterable[Patient], action: str, channel: str = PatientAccess.Channel.API
) -> int:
    """Record that ``actor`` read each of ``patients``; return how many rows were written (AUD-03)."""
    rows = [PatientAccess(patient=patient, user=actor, action=action, channel=channel) for patient in patients]
    # The access log is append-only and not an audited (historised) table, so a bulk insert is fine.
    PatientAccess.objects.bulk_create(rows)
    return len(rows)
