"""Services of the identity access log (RNIV AUD-03): every read of an identity records who and when."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from identity_registry.audit_chain import chain_insert
from patients.models import Patient
from patients.records import PatientAccess

COLUMNS = ("patient_id", "user_id", "accessed_at", "channel", "action", "prev_digest", "digest")


def patient_record_access(
    *, actor: Any, patients: Iterable[Patient], action: str, channel: str = PatientAccess.Channel.API
) -> int:
    """Record that ``actor`` read each of ``patients``; return how many rows were written (AUD-03).

    The rows are written before the caller answers: a read is never shown unlogged.
    """
    # One instant for the batch, read through timezone.now at call time (a field default is bound at import).
    now = timezone.now()
    patient_ids = [patient.pk for patient in patients]
    if not patient_ids:
        return 0
    if connection.vendor == "postgresql":
        # Issue 10: one INSERT for the whole page, in autocommit outside a transaction (no BEGIN/COMMIT round
        # trips); the table's "chain" trigger computes prev_digest and digest under the chain's lock (AUD-01).
        # The ids go as one array, in order: the statement is the same text for any page (parsed once).
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PatientAccess._meta.db_table} ({', '.join(COLUMNS)}) "  # noqa: S608 - constant names
                "SELECT id, %s, %s, %s, %s, '', '' FROM unnest(%s::bigint[]) WITH ORDINALITY AS page(id, n) ORDER BY n",
                [actor.pk, now, channel, action, patient_ids],
            )
        return len(patient_ids)
    rows = [
        PatientAccess(patient_id=pk, user=actor, action=action, channel=channel, accessed_at=now) for pk in patient_ids
    ]
    # SQLite (development): chained in Python, under the database's single writer lock.
    chain_insert(PatientAccess, rows)
    return len(rows)
