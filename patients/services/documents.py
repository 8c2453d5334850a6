"""Record a checked identity document; a high-trust one sets C (RNIV ID-01 to ID-08, ST-01, ST-03, ST-10)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidTransition, RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.documents import (
    DOCUMENT_TYPE_LABELS,
    DocumentContext,
    DocumentType,
    DocumentVerdict,
    document_verdict,
    is_country_code,
    normalise_document_number,
)
from patients.models import IdentityDocument, Patient, Sex
from patients.records import DocumentDeclined
from patients.services.common import invalid, lock_patient, save_identity
from patients.services.scans import accepted_scan
from patients.status import blocks_qualification

TRAITS_NOT_CONFIRMED = (
    "Cochez « les traits sont conformes au justificatif » après avoir comparé chaque trait strict (noms, "
    "prénoms, sexe, date et lieu de naissance) au justificatif : un justificatif à haut niveau de confiance "
    "ne valide l'identité qu'à cette condition (règle ID-01)."
)


@dataclass
class DocumentResult:
    patient: Patient
    document: IdentityDocument
    verdict: DocumentVerdict
    changed_fields: list[str] = field(default_factory=list)


def _is_minor(birth_date: date, on: date) -> bool:
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age < 18


def _checked_inputs(
    document_type: str, context: str, issuing_country: str, expires_on: Any
) -> tuple[DocumentType, DocumentContext, str]:
    try:
        doc_type = DocumentType(document_type)
    except ValueError as exc:
        raise invalid("document_type", "Type de justificatif inconnu.") from exc
    try:
        doc_context = DocumentContext(context)
    except ValueError as exc:
        raise invalid("context", "Contexte de présentation inconnu.") from exc
    country = (issuing_country or "").strip().upper()
    if not is_country_code(country):
        raise invalid(
            "issuing_country",
            "Le pays émetteur doit être un code ISO 3166 à deux lettres existant (ex. FR, IT, MA).",
        )
    if expires_on is not None and (not isinstance(expires_on, date) or isinstance(expires_on, datetime)):
        raise invalid("expires_on", "La date d'expiration est invalide.")
    return doc_type, doc_context, country


def _already_recorded(patient: Patient, doc_type: DocumentType, country: str, number: str) -> IdentityDocument | None:
    """The earlier record of the same document, when recording it again would add nothing.

    With a number, the same document is the same type, country and number: it is checked again only to
    restore a validation withdrawn since (ST-06, ST-07: "the document must be checked again"). Without a
    number, an identical check (type, country) is refused while the identity has not changed since; the
    database holds the same rule (constraint ``identity_document_once_per_version``).
    """
    same = IdentityDocument.objects.filter(
        patient=patient, document_type=doc_type.value, issuing_country=country, document_number=number
    )
    if not number:
        same = same.filter(identity_version=patient.version)
    earlier = same.order_by("-checked_at").first()
    if earlier is not None and number and earlier.can_validate and not patient.document_checked:
        return None
    return earlier


def _duplicate_refusal(earlier: IdentityDocument, number: str) -> RuleViolation:
    label = DOCUMENT_TYPE_LABELS[DocumentType(earlier.document_type)]
    when = timezone.localtime(earlier.checked_at).strftime("%d/%m/%Y")
    if number:
        message = (
            f"Ce justificatif ({label} n° {number}) est déjà enregistré pour cette identité (contrôle du {when}) : "
            "un même justificatif n'est enregistré qu'une fois. Il pourra être contrôlé à nouveau si la validation "
            "de l'identité est retirée (règles ST-06, ST-07)."
        )
    else:
        message = (
            f"Un contrôle identique ({label}, sans numéro) est déjà enregistré pour cette identité (contrôle du "
            f"{when}), qui n'a pas changé depuis. S'il s'agit d'un autre document, saisissez son numéro pour "
            "les distinguer."
        )
    return RuleViolation(message, code="DOCUMENT_ALREADY_RECORDED", details={"document_number": [message]})


@transaction.atomic
def identity_validate_document(
    *,
    actor: Any,
    patient: Patient | int,
    document_type: str,
    issuing_country: str,
    is_copy: bool = False,
    context: str = DocumentContext.STANDARD,
    expires_on: date | None = None,
    document_number: str = "",
    traits_confirmed: bool | None = None,
    scan: UploadedFile | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> DocumentResult:
    """Record a checked identity document; a high-trust one sets C (ID-01 to ID-09, ST-01, ST-03, ST-10).

    ``traits_confirmed`` is the agent's statement that every strict trait matches the document: False refuses
    a high-trust document; None means the caller's channel does not ask it (kept as unknown).
    """
    doc_type, doc_context, country = _checked_inputs(document_type, context, issuing_country, expires_on)
    try:
        number = normalise_document_number(document_number or "")
    except ValueError as exc:
        raise invalid("document_number", str(exc)) from exc
    # RNIV ID-09: the scan is judged by its content before anything is locked or written.
    accepted = accepted_scan(scan) if scan is not None else None
    locked = lock_patient(patient, expected_version)
    # RNIV ST-03: a doubtful or fictitious identity cannot be validated.
    if blocks_qualification(locked.attributes):
        raise InvalidTransition(
            "Une identité douteuse ou fictive ne peut pas être validée (règle ST-03).", code="ST-03"
        )
    if locked.sex == Sex.U:
        raise InvalidTransition(
            "Le sexe est inconnu : renseignez-le d'après le justificatif avant de valider (règle TR-01).",
            code="TR-01",
        )
    now = timezone.now()
    earlier = _already_recorded(locked, doc_type, country, number)
    if earlier is not None:
        raise _duplicate_refusal(earlier, number)
    verdict = document_verdict(
        document_type=doc_type,
        issuing_country=country,
        is_copy=bool(is_copy),
        context=doc_context,
        holder_is_minor=_is_minor(locked.birth_date, timezone.localdate(now)),
    )
    if verdict.can_validate and traits_confirmed is False:
        raise invalid("traits_confirmed", TRAITS_NOT_CONFIRMED)
    document = IdentityDocument(
        patient=locked,
        document_type=doc_type.value,
        issuing_country=country,
        is_copy=bool(is_copy),
        context=doc_context.value,
        expires_on=expires_on,
        document_number=number,
        traits_confirmed=traits_confirmed,
        identity_version=locked.version,
        checked_by=actor,
        checked_at=now,
        can_validate=verdict.can_validate,
        rule=verdict.rule,
        refusal_reason=verdict.reason,
    )
    if accepted is not None:
        document.scan = accepted
    stamp_history(document, actor=actor, reason_code=reasons.DOCUMENT_CHECK, reason=reason)
    document.save()
    changed = []
    if verdict.can_validate and not locked.document_checked:
        locked.document_checked = True
        locked.document_checked_at = now
        changed.append("document_checked")
        save_identity(locked, actor=actor, reason_code=reasons.DOCUMENT_CHECK, reason=reason or verdict.rule)
    return DocumentResult(locked, document, verdict, changed)


@transaction.atomic
def identity_record_document_declined(
    *, actor: Any, patient: Patient | int, reason: str = "", expected_version: int | None = None
) -> DocumentDeclined:
    """Record that the person declined to show an identity document (RNIV ST-10); the status does not rise.

    The refusal is its own record and a row of the identity's history, so it shows in the history page and
    the auditor's timeline.
    """
    locked = lock_patient(patient, expected_version)
    # The instant is read at call time (a field default is bound at import, and a test clock would miss it).
    declined = DocumentDeclined.objects.create(
        patient=locked, recorded_by=actor, recorded_at=timezone.now(), reason=(reason or "").strip()
    )
    save_identity(locked, actor=actor, reason_code=reasons.DOCUMENT_DECLINED, reason=declined.reason)
    return declined
