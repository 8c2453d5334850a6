"""Record a checked identity document; a high-trust one sets C (RNIV ID-01 to ID-08, ST-01, ST-03, ST-10)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidTransition
from identity_registry.history import stamp_history
from patients import reasons
from patients.documents import DocumentContext, DocumentType, DocumentVerdict, document_verdict, is_country_code
from patients.models import IdentityDocument, Patient, Sex
from patients.services.common import invalid, lock_patient, save_identity
from patients.status import blocks_qualification


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
    scan: UploadedFile | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> DocumentResult:
    """Record a checked identity document; a high-trust one sets C (ID-01 to ID-08, ST-01, ST-03, ST-10)."""
    doc_type, doc_context, country = _checked_inputs(document_type, context, issuing_country, expires_on)
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
    verdict = document_verdict(
        document_type=doc_type,
        issuing_country=country,
        is_copy=bool(is_copy),
        context=doc_context,
        holder_is_minor=_is_minor(locked.birth_date, timezone.localdate(now)),
    )
    document = IdentityDocument(
        patient=locked,
        document_type=doc_type.value,
        issuing_country=country,
        is_copy=bool(is_copy),
        context=doc_context.value,
        expires_on=expires_on,
        checked_by=actor,
        checked_at=now,
        can_validate=verdict.can_validate,
        rule=verdict.rule,
        refusal_reason=verdict.reason,
    )
    if scan is not None:
        document.scan = scan
    stamp_history(document, actor=actor, reason_code=reasons.DOCUMENT_CHECK, reason=reason)
    document.save()
    changed = []
    if verdict.can_validate and not locked.document_checked:
        locked.document_checked = True
        locked.document_checked_at = now
        changed.append("document_checked")
        save_identity(locked, actor=actor, reason_code=reasons.DOCUMENT_CHECK, reason=reason or verdict.rule)
    return DocumentResult(locked, document, verdict, changed)
