"""Merge a duplicate into its survivor, and undo it exactly (RNIV AUD-05, ST-11).

The merged identity is deactivated and points to its survivor; its own history stays where it is. The rows
it owns (documents, identifiers, earlier INS, and the other apps' rows registered in patients/extensions.py,
such as consent's care episodes) move to the survivor, each move written in history and listed in the
MergeRecord, so that the unmerge moves back exactly those rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import PreconditionFailed, RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.duplicates.merging import duplicate_confirm_merged_pair
from patients.events import EventKind
from patients.extensions import PatientOwnedRelation, patient_owned_relations
from patients.links import MergeRecord
from patients.models import InsHistoryEntry, Patient
from patients.services.common import invalid, lock_patient, require_reason, save_identity

MERGE_PERMISSION = "patients.merge_identity"
ST11_MERGE_MESSAGE = (
    "Les deux identités portent des matricules INS différents : seule une même INS peut subsister après "
    "fusion (règle ST-11). Vérifiez les INS par le téléservice INSi avant de fusionner."
)


def _earlier_ins_stays(entry: InsHistoryEntry, survivor: Patient) -> bool:
    return InsHistoryEntry.objects.filter(patient=survivor, matricule=entry.matricule, oid=entry.oid).exists()


# The identity's own rows; other apps register theirs (consent: care episodes, oppositions).
OWN_RELATIONS = (
    PatientOwnedRelation("patients.IdentityDocument", "Justificatifs d'identité"),
    PatientOwnedRelation("patients.ExternalIdentifier", "Identifiants externes"),
    PatientOwnedRelation("patients.InsHistoryEntry", "INS antérieures", stays=_earlier_ins_stays),
)
# The fields of an identity a merge or an unmerge may change, kept as they were to restore them.
RESTORED_FIELDS = ("is_active", "merged_into", "status", "homonym_detected", "homonym_confirmed")


@dataclass
class MergeResult:
    survivor: Patient
    merged: Patient
    record: MergeRecord
    warnings: list[str] = field(default_factory=list)


def _relations() -> list[PatientOwnedRelation]:
    return [*OWN_RELATIONS, *patient_owned_relations()]


def _snapshot(patient: Patient) -> dict[str, Any]:
    return {name: getattr(patient, Patient._meta.get_field(name).attname) for name in RESTORED_FIELDS}


def _changed(before: dict[str, Any], patient: Patient) -> dict[str, Any]:
    after = _snapshot(patient)
    return {name: value for name, value in before.items() if after[name] != value}


def _restore(patient: Patient, before: dict[str, Any]) -> None:
    for name, value in before.items():
        setattr(patient, Patient._meta.get_field(name).attname, value)


def _move(relation: PatientOwnedRelation, *, ids: list[int] | None, source: Patient, target: Patient, **stamp) -> list:
    """Move the rows of one relation from ``source`` to ``target``; return the ids moved."""
    model = apps.get_model(relation.model)
    rows = model.objects.select_for_update().filter(**{relation.field: source}).order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    moved = []
    for row in rows:
        if relation.stays is not None and relation.stays(row, target):
            continue
        setattr(row, relation.field, target)
        if hasattr(model, "history"):
            stamp_history(row, **stamp)
        row.save()
        moved.append(row.pk)
    return moved


def _lock_pair(first: Patient | int, second: Patient | int) -> tuple[Patient, Patient]:
    first_pk = first.pk if isinstance(first, Patient) else int(first)
    second_pk = second.pk if isinstance(second, Patient) else int(second)
    if first_pk == second_pk:
        raise invalid("merged", "Une identité ne peut pas être fusionnée avec elle-même.")
    # Always in primary-key order: two referents acting on the same pair, in either direction, queue on the
    # first lock instead of deadlocking; the second one then sees the first one's result.
    locked = {pk: lock_patient(pk, allow_merged=True) for pk in sorted((first_pk, second_pk))}
    return locked[first_pk], locked[second_pk]


def _require_referent(actor: Any) -> None:
    # RNIV AUD-05: only referents merge and unmerge.
    if not actor.has_perm(MERGE_PERMISSION):
        raise PermissionDenied("Seul un référent en identitovigilance peut fusionner ou défusionner des identités.")


@transaction.atomic
def patient_merge(
    *, actor: Any, survivor: Patient | int, merged: Patient | int, reason: str, expected_version: int | None = None
) -> MergeResult:
    """Merge ``merged`` into ``survivor`` (AUD-05); ``expected_version`` is the survivor's read version."""
    _require_referent(actor)
    text = require_reason(reason, "AUD-05")
    kept, gone = _lock_pair(survivor, merged)
    if expected_version is not None and kept.version != expected_version:
        raise PreconditionFailed(
            "L'identité a été modifiée par ailleurs depuis votre lecture : rechargez-la avant de la modifier.",
            details={"current_version": kept.version},
        )
    for patient in (kept, gone):
        if not patient.is_active or patient.merged_into_id is not None:
            raise RuleViolation(
                f"L'identité IPP {patient.ipp} n'est plus active (déjà fusionnée) : rien n'a été fusionné.",
                code="AUD-05",
            )
    # RNIV ST-11: when both hold an INS, only the same INS may survive.
    if kept.ins_matricule and gone.ins_matricule and kept.ins_matricule != gone.ins_matricule:
        raise RuleViolation(ST11_MERGE_MESSAGE, code="ST-11")
    kept_before, gone_before = _snapshot(kept), _snapshot(gone)
    stamp = {"actor": actor, "reason_code": reasons.MOVED_BY_MERGE, "reason": text}
    moved = {r.model: _move(r, ids=None, source=gone, target=kept, **stamp) for r in _relations()}
    gone.is_active = False
    gone.merged_into = kept
    warnings = []
    if gone.ins_matricule and not kept.ins_matricule:
        warnings.append(
            "L'INS de l'identité fusionnée n'est pas reprise : récupérez-la par le téléservice INSi pour "
            "l'identité conservée."
        )
    extra = (EventKind.IDENTIFIERS,) if moved.get("patients.ExternalIdentifier") else ()
    # The merged row first: it leaves the active set (ST-11 index) before the survivor is saved.
    save_identity(
        gone, actor=actor, reason_code=reasons.MERGED, reason=text, event_kinds=(EventKind.MERGED,), related=kept
    )
    save_identity(
        kept,
        actor=actor,
        reason_code=reasons.MERGE_ABSORB,
        reason=text,
        event_kinds=(EventKind.ABSORBED, *extra),
        related=gone,
    )
    record = MergeRecord(
        survivor=kept,
        merged=gone,
        reason=text,
        merged_by=actor,
        merged_at=timezone.now(),
        moved=moved,
        survivor_before=_changed(kept_before, kept),
        merged_before=_changed(gone_before, gone),
    )
    stamp_history(record, actor=actor, reason_code=reasons.MERGED, reason=text)
    record.save()
    # RNIV ST-11: a merge of a suspected pair, wherever it is done, confirms the pair (same transaction).
    if duplicate_confirm_merged_pair(actor=actor, survivor_id=kept.pk, merged_id=gone.pk, reason=text):
        kept.refresh_from_db()  # HOMD was settled: the caller gets the current version
    return MergeResult(kept, gone, record, warnings)


@transaction.atomic
def patient_unmerge(*, actor: Any, merged: Patient | int, reason: str) -> MergeResult:
    """Undo the merge of ``merged``: both identities as they were, the moved rows back (AUD-05)."""
    _require_referent(actor)
    text = require_reason(reason, "AUD-05")
    merged_pk = merged.pk if isinstance(merged, Patient) else int(merged)
    record = MergeRecord.objects.filter(merged_id=merged_pk, unmerged_at__isnull=True).first()
    if record is None:
        raise RuleViolation("Cette identité n'est pas fusionnée : il n'y a rien à défusionner.", code="AUD-05")
    gone, kept = _lock_pair(merged_pk, record.survivor_id)
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.unmerged_at is not None or gone.merged_into_id != kept.pk:
        raise RuleViolation("Cette fusion a déjà été défaite.", code="AUD-05")
    if kept.merged_into_id is not None:
        # The moved rows went on with the survivor: undo the later merge first, so they come back exactly.
        raise RuleViolation(
            f"L'identité conservée (IPP {kept.ipp}) a depuis été fusionnée à son tour : défaites d'abord "
            "cette fusion-là.",
            code="AUD-05",
        )
    stamp = {"actor": actor, "reason_code": reasons.MOVED_BY_UNMERGE, "reason": text}
    for relation in _relations():
        ids = record.moved.get(relation.model, [])
        if ids:
            _move(relation, ids=ids, source=kept, target=gone, **stamp)
    _restore(gone, record.merged_before)
    _restore(kept, record.survivor_before)
    moved_identifiers = bool(record.moved.get("patients.ExternalIdentifier"))
    extra = (EventKind.IDENTIFIERS,) if moved_identifiers else ()
    # RNIV ST-11 (in save_identity): the restored identity is refused if its INS went to another active one.
    save_identity(
        kept,
        actor=actor,
        reason_code=reasons.UNMERGE_RELEASE,
        reason=text,
        event_kinds=(EventKind.RELEASED, *extra),
        related=gone,
    )
    save_identity(
        gone, actor=actor, reason_code=reasons.UNMERGED, reason=text, event_kinds=(EventKind.UNMERGED,), related=kept
    )
    record.unmerged_at = timezone.now()
    record.unmerged_by = actor
    record.unmerge_reason = text
    stamp_history(record, actor=actor, reason_code=reasons.UNMERGED, reason=text)
    record.save()
    return MergeResult(kept, gone, record)
