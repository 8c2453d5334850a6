"""Identifiers given to a patient by other systems: (assigning authority, value), one per authority value."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.events import EventKind
from patients.links import ExternalIdentifier, IdentifierAuthority
from patients.models import Patient
from patients.services.common import invalid, lock_patient, require_reason, save_identity

TAKEN_MESSAGE = (
    "Cet identifiant ({authority} : {value}) est déjà porté par une autre identité active : "
    "doublon potentiel à traiter par la cellule d'identitovigilance."
)


@dataclass
class IdentifierResult:
    patient: Patient
    identifier: ExternalIdentifier


def clean_identifier_value(value: str) -> str:
    """The stored form of a value: no surrounding or inner spaces, upper case."""
    compact = "".join((value or "").split()).upper()
    if not compact:
        raise invalid("value", "La valeur de l'identifiant est obligatoire.")
    if len(compact) > 64 or not compact.isprintable():
        raise invalid("value", "La valeur de l'identifiant compte au plus 64 caractères imprimables.")
    return compact


def find_authority(authority: IdentifierAuthority | str) -> IdentifierAuthority:
    if isinstance(authority, IdentifierAuthority):
        return authority
    found = IdentifierAuthority.objects.filter(code=(authority or "").strip()).first()
    if found is None:
        raise invalid("authority", "Autorité d'affectation inconnue : choisissez-en une de la liste administrée.")
    return found


@transaction.atomic
def authority_save(*, actor: Any, authority: IdentifierAuthority, reason: str = "") -> IdentifierAuthority:
    """Create or edit an assigning authority, with its history row (AUD-01)."""
    code = reasons.AUTHORITY_EDIT if authority.pk is not None else reasons.AUTHORITY_CREATE
    stamp_history(authority, actor=actor, reason_code=code, reason=reason)
    authority.save()
    return authority


def _taken(authority: IdentifierAuthority, value: str) -> RuleViolation:
    return RuleViolation(
        TAKEN_MESSAGE.format(authority=authority.code, value=value),
        code="IDENTIFIER_TAKEN",
        details={"authority": authority.code, "value": value},
    )


@transaction.atomic
def identifier_add(
    *,
    actor: Any,
    patient: Patient | int,
    authority: IdentifierAuthority | str,
    value: str,
    reason: str = "",
    expected_version: int | None = None,
) -> IdentifierResult:
    """Attach an identifier of another system; refused (409) when another active identity holds it."""
    found_authority = find_authority(authority)
    clean = clean_identifier_value(value)
    locked = lock_patient(patient, expected_version)
    existing = ExternalIdentifier.objects.filter(authority=found_authority, value=clean, in_force=True).first()
    if existing is not None:
        if existing.patient_id == locked.pk:
            return IdentifierResult(locked, existing)
        raise _taken(found_authority, clean)
    identifier = ExternalIdentifier(patient=locked, authority=found_authority, value=clean)
    stamp_history(identifier, actor=actor, reason_code=reasons.IDENTIFIER_ADDED, reason=reason)
    try:
        with transaction.atomic():
            identifier.save()
    except IntegrityError as exc:
        # Two identities given the same identifier at once: the partial unique index decides.
        raise _taken(found_authority, clean) from exc
    save_identity(
        locked, actor=actor, reason_code=reasons.IDENTIFIER_ADDED, reason=reason, event_kinds=(EventKind.IDENTIFIERS,)
    )
    return IdentifierResult(locked, identifier)


@transaction.atomic
def identifier_remove(
    *,
    actor: Any,
    patient: Patient | int,
    identifier: ExternalIdentifier | int,
    reason: str,
    expected_version: int | None = None,
) -> IdentifierResult:
    """Detach an identifier with a reason; its history row keeps what it was (AUD-01)."""
    text = require_reason(reason, "AUD-01")
    locked = lock_patient(patient, expected_version)
    pk = identifier.pk if isinstance(identifier, ExternalIdentifier) else identifier
    found = ExternalIdentifier.objects.filter(pk=pk, patient=locked).select_related("authority").first()
    if found is None:
        raise invalid("identifier", "Cet identifiant n'est pas porté par cette identité.")
    stamp_history(found, actor=actor, reason_code=reasons.IDENTIFIER_REMOVED, reason=text)
    found.delete()
    save_identity(
        locked, actor=actor, reason_code=reasons.IDENTIFIER_REMOVED, reason=text, event_kinds=(EventKind.IDENTIFIERS,)
    )
    return IdentifierResult(locked, found)
