"""Plumbing shared by the identity services: results, row lock, derived fields, history and ST-11."""

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from identity_registry.exceptions import InvalidInput, PreconditionFailed, RuleViolation
from identity_registry.history import stamp_history
from patients.events import changed_kinds, emit_patient_event, remember_loaded
from patients.ins import InsError, validate_ins
from patients.ipp import next_ipp
from patients.models import Patient
from patients.status import Attribute, derive_status
from patients.traits import search_key

STRICT_TRAITS = (
    "birth_name",
    "first_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_day_estimated",
    "birth_month_estimated",
    "birth_year_estimated",
    "birthplace_cog",
)
ADDITIONAL_TRAITS = ("used_name", "used_first_name", "address", "phone", "email", "to_regularise")
ATTRIBUTE_FIELDS = {
    Attribute.DOUT: "doubtful",
    Attribute.FICT: "fictitious",
    Attribute.HOMD: "homonym_detected",
    Attribute.HOMA: "homonym_confirmed",
}
MERGED_MESSAGE = "Cette identité a été fusionnée dans une autre : travaillez sur l'identité conservée (règle AUD-05)."
ST11_MESSAGE = (
    "Une autre identité active porte déjà ce matricule INS : doublon potentiel à traiter "
    "par la cellule d'identitovigilance (règle ST-11)."
)


@dataclass
class IdentityResult:
    """What a write returns: the patient and the warnings to show the agent (TR-03 transliterations)."""

    patient: Patient
    warnings: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)


def invalid(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={field_name: [message]})


def invalid_fields(errors: dict[str, str]) -> InvalidInput:
    """One refusal naming every field in error, so the agent corrects them all at once."""
    if len(errors) == 1:
        return invalid(*next(iter(errors.items())))
    message = "Plusieurs champs sont à corriger : " + " ".join(errors.values())
    return InvalidInput(message, details={name: [text] for name, text in errors.items()})


def require_reason(reason: str, rule: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise invalid("reason", f"Un motif est obligatoire (règle {rule}).")
    return text


def refresh_derived(patient: Patient) -> None:
    """Recompute the stored status and search keys from the recorded facts (ST-01, TR-05)."""
    patient.status = derive_status(
        ins_verified=patient.ins_verified,
        document_checked=patient.document_checked,
        attributes=patient.attributes,
    ).value
    patient.birth_name_key = search_key(patient.birth_name)
    patient.used_name_key = search_key(patient.used_name)
    patient.first_names_key = "|".join(
        search_key(v) for v in (patient.first_name, patient.first_names, patient.used_first_name) if v
    )


def _ins_taken_elsewhere(patient: Patient) -> bool:
    if not (patient.is_active and patient.ins_matricule):
        return False
    others = Patient.objects.filter(ins_matricule=patient.ins_matricule, ins_oid=patient.ins_oid, is_active=True)
    return others.exclude(pk=patient.pk).exists()


def save_identity(
    patient: Patient,
    *,
    actor: Any,
    reason_code: str,
    reason: str = "",
    bump: bool = True,
    event_kinds: tuple[str, ...] = (),
    related: Patient | None = None,
) -> None:
    """Refresh the derived fields, check ST-11 and save with a history row carrying user and reason (AUD-01).

    The same write appends its event to the feed (patients/events.py): the kinds of change found by comparing
    with the row as it was locked, plus ``event_kinds``.
    """
    refresh_derived(patient)
    if bump and patient.pk:
        patient.version += 1
    if not patient.ipp:
        patient.ipp = next_ipp()
    # RNIV ST-11: a second identity with the same INS is a potential duplicate, never a silent record.
    if _ins_taken_elsewhere(patient):
        raise RuleViolation(ST11_MESSAGE, code="ST-11")
    stamp_history(patient, actor=actor, reason_code=reason_code, reason=reason)
    if not patient.ins_matricule:
        # No INS, no unique constraint to lose a race on: no savepoint (issue 10, two round trips fewer).
        patient.save()
    else:
        _save_with_ins(patient)
    # Last, after every row lock this write takes: the feed's counter lock is then held only until commit.
    emit_patient_event(patient, [*changed_kinds(patient), *event_kinds], related=related)
    remember_loaded(patient)


def _save_with_ins(patient: Patient) -> None:
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError as exc:
        # Two concurrent retrievals of the same INS: the unique constraint decides, the loser gets ST-11.
        if _ins_taken_elsewhere(patient):
            raise RuleViolation(ST11_MESSAGE, code="ST-11") from exc
        raise


def lock_patient(patient: Patient | int, expected_version: int | None = None, *, allow_merged: bool = False) -> Patient:
    """Lock the identity row; refuse with 412 when the caller read an older version.

    A merged identity is refused (409, AUD-05) unless ``allow_merged``: its survivor is the one to change.
    """
    pk = patient.pk if isinstance(patient, Patient) else patient
    locked = Patient.objects.select_for_update().get(pk=pk)
    remember_loaded(locked)
    if locked.merged_into_id is not None and not allow_merged:
        raise RuleViolation(MERGED_MESSAGE, code="AUD-05", details={"merged_into": str(locked.merged_into.public_id)})
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            "L'identité a été modifiée par ailleurs depuis votre lecture : rechargez-la avant de la modifier.",
            details={"current_version": locked.version},
        )
    return locked


def checked_ins(matricule: str, oid: str) -> None:
    """Refuse a matricule or OID that breaks RNIV TR-10, TR-12 or TR-14 (every INS stored is checked)."""
    try:
        validate_ins(matricule, oid)
    except InsError as exc:
        raise RuleViolation(exc.message, code=exc.rule) from exc
