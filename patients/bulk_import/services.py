"""Write one checked batch of an import: identities, IPPs, legacy numbers, history rows and events (AUD-01)."""

import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from identity_registry.history import stamp_history
from patients import reasons
from patients.bulk_import.copy import copy_batch, patient_defaults
from patients.bulk_import.rows import CheckedRow
from patients.counters import bump_counter
from patients.events import COUNTER, EventKind, PatientEvent
from patients.ipp import allocate_ipps
from patients.links import ExternalIdentifier, IdentifierAuthority
from patients.models import CollectionMethod, Patient
from patients.services.common import refresh_derived
from patients.status import derive_status

PATIENT_FIELDS = {f.name for f in Patient._meta.concrete_fields}
IMPORT_REASON = "Import d'un fichier de l'ancien système"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def legacy_authority_get_or_create(*, actor: Any, code: str, label: str) -> IdentifierAuthority:
    """The authority whose identifiers are the legacy system's numbers, created with its history if new."""
    found = IdentifierAuthority.objects.filter(code=code).first()
    if found is not None:
        return found
    authority = IdentifierAuthority(code=code, label=label)
    stamp_history(authority, actor=actor, reason_code=reasons.AUTHORITY_CREATE, reason=IMPORT_REASON)
    authority.save()
    return authority


@transaction.atomic
def identities_import_batch(
    *, actor: Any, authority: IdentifierAuthority, rows: list[CheckedRow], reason: str = IMPORT_REASON
) -> list[Patient]:
    """Create the identities of checked rows, each with its IPP, its legacy number, history and event.

    One transaction per batch: the legacy numbers commit with their identities, so a run killed at any
    point resumes by skipping the numbers already held (each good row is imported exactly once).
    """
    if not rows:
        return []
    user = _user(actor)
    if connection.vendor == "postgresql":
        return _import_by_copy(user=user, authority=authority, rows=rows, reason=reason)
    patients = []
    for row, ipp in zip(rows, allocate_ipps(len(rows)), strict=True):
        fields = {name: value for name, value in row.values.items() if name in PATIENT_FIELDS}
        # RNIV TR-11: a legacy INS is stored after its key check, but not as verified: the identity stays
        # PROV until INSi verifies it (I), and its INS is not shared before QUAL (ST-04).
        patient = Patient(**fields, ipp=ipp, collection_method=CollectionMethod.SM)
        refresh_derived(patient)
        patients.append(patient)
    history = {"history_reason_code": reasons.IMPORT}
    created = bulk_create_with_history(
        patients,
        Patient,
        batch_size=2000,
        default_user=user,
        default_change_reason=reason,
        custom_historical_attrs=history,
    )
    identifiers = [
        ExternalIdentifier(patient=patient, authority=authority, value=row.legacy_id)
        for patient, row in zip(created, rows, strict=True)
    ]
    bulk_create_with_history(
        identifiers,
        ExternalIdentifier,
        batch_size=2000,
        default_user=user,
        default_change_reason=reason,
        custom_historical_attrs={"history_reason_code": reasons.IDENTIFIER_ADDED},
    )
    # The feed's counter is bumped once for the batch, last: its row lock is held only until commit.
    last = bump_counter(COUNTER, by=len(created))
    first = last - len(created) + 1
    kinds = [EventKind.CREATED.value, EventKind.IDENTIFIERS.value]
    PatientEvent.objects.bulk_create(
        [
            PatientEvent(seq=first + i, patient=p, patient_public_id=p.public_id, ipp=p.ipp, kinds=kinds)
            for i, p in enumerate(created)
        ],
        batch_size=2000,
    )
    return created


def _import_by_copy(*, user: Any, authority: IdentifierAuthority, rows: list[CheckedRow], reason: str) -> list[int]:
    defaults = patient_defaults()
    # Nothing recorded yet (no I, no C, no attribute): the status the create service derives (ST-01).
    status = derive_status(ins_verified=False, document_checked=False, attributes=set()).value
    patients = []
    for row, ipp in zip(rows, allocate_ipps(len(rows)), strict=True):
        fields = {name: value for name, value in row.values.items() if name in PATIENT_FIELDS}
        record = {**defaults, **fields, "ipp": ipp, "public_id": uuid.uuid4(), "status": status}
        record["collection_method"] = CollectionMethod.SM.value
        patients.append(record)
    return copy_batch(
        patients=patients,
        legacy_ids=[row.legacy_id for row in rows],
        authority_id=authority.pk,
        user_id=user.pk if user is not None else None,
        reason=reason,
        patient_code=reasons.IMPORT,
        identifier_code=reasons.IDENTIFIER_ADDED,
        kinds=[EventKind.CREATED.value, EventKind.IDENTIFIERS.value],
        now=timezone.now(),
    )
