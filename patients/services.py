"""Services that write identities: each locks the row, applies the rules and writes history (AUD-01)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidInput, InvalidTransition, PreconditionFailed, RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.documents import DocumentContext, DocumentType, DocumentVerdict, document_verdict
from patients.ins import InsError, validate_ins
from patients.models import CollectionMethod, IdentityDocument, InsHistoryEntry, Patient, Sex
from patients.status import Attribute, blocks_qualification, conflicting_attribute, derive_status, parse_attribute
from patients.traits import (
    TraitError,
    first_names_match_first,
    normalize_first_names,
    normalize_trait,
    search_key,
    validate_cog,
)

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
TRAIT_LABELS = {
    "birth_name": "Le nom de naissance",
    "first_name": "Le premier prénom de naissance",
    "first_names": "La liste des prénoms de naissance",
    "used_name": "Le nom utilisé",
    "used_first_name": "Le prénom utilisé",
}
ATTRIBUTE_FIELDS = {
    Attribute.DOUT: "doubtful",
    Attribute.FICT: "fictitious",
    Attribute.HOMD: "homonym_detected",
    Attribute.HOMA: "homonym_confirmed",
}


@dataclass
class IdentityResult:
    """What a write returns: the patient and the warnings to show the agent (TR-03 transliterations)."""

    patient: Patient
    warnings: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)


def _invalid(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={field_name: [message]})


def _clean_traits(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Normalise and check the traits given; return the clean values and the warnings (TR-01..TR-07)."""
    clean: dict[str, Any] = {}
    warnings: list[str] = []
    for name in ("birth_name", "first_name", "used_name", "used_first_name"):
        if name not in values:
            continue
        raw = values[name] or ""
        if name.startswith("used") and not raw.strip():
            clean[name] = ""
            continue
        try:
            result = normalize_trait(raw, label=TRAIT_LABELS[name])
        except TraitError as exc:
            raise _invalid(name, exc.message) from exc
        clean[name] = result.value
        warnings.extend(f"{TRAIT_LABELS[name]} : {w}" for w in result.warnings)
    if "first_names" in values:
        try:
            result = normalize_first_names(values["first_names"], label=TRAIT_LABELS["first_names"])
        except TraitError as exc:
            raise _invalid("first_names", exc.message) from exc
        clean["first_names"] = result.value
        warnings.extend(f"{TRAIT_LABELS['first_names']} : {w}" for w in result.warnings)
    if "sex" in values:
        if values["sex"] not in Sex.values:
            raise _invalid("sex", "Le sexe doit être M, F ou U (inconnu).")
        clean["sex"] = values["sex"]
    if "birth_date" in values:
        birth_date = values["birth_date"]
        if not isinstance(birth_date, date) or isinstance(birth_date, datetime):
            raise _invalid("birth_date", "La date de naissance est invalide.")
        if birth_date > timezone.localdate():
            raise _invalid("birth_date", "La date de naissance ne peut pas être dans le futur.")
        clean["birth_date"] = birth_date
    for flag in ("birth_day_estimated", "birth_month_estimated", "birth_year_estimated", "to_regularise"):
        if flag in values:
            clean[flag] = bool(values[flag])
    if "birthplace_cog" in values:
        raw = values["birthplace_cog"] or ""
        try:
            clean["birthplace_cog"] = validate_cog(raw) if raw.strip() else ""
        except TraitError as exc:
            raise _invalid("birthplace_cog", exc.message) from exc
    for name in ("address", "phone"):
        if name in values:
            clean[name] = (values[name] or "").strip()
    if "email" in values:
        email = (values["email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except DjangoValidationError as exc:
                raise _invalid("email", "L'adresse de courriel est invalide.") from exc
        clean["email"] = email
    return clean, warnings


def _check_first_names(patient: Patient) -> None:
    # RNIV TR-01, TR-04: the list opens with the first first name, which may itself be composed.
    if not first_names_match_first(patient.first_name, patient.first_names):
        raise _invalid(
            "first_names",
            "La liste des prénoms de naissance doit commencer par le premier prénom de naissance (règle TR-01).",
        )


def _refresh_derived(patient: Patient) -> None:
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


ST11_MESSAGE = (
    "Une autre identité active porte déjà ce matricule INS : doublon potentiel à traiter "
    "par la cellule d'identitovigilance (règle ST-11)."
)


def _ins_taken_elsewhere(patient: Patient) -> bool:
    if not (patient.is_active and patient.ins_matricule):
        return False
    others = Patient.objects.filter(ins_matricule=patient.ins_matricule, ins_oid=patient.ins_oid, is_active=True)
    return others.exclude(pk=patient.pk).exists()


def _save(patient: Patient, *, actor: Any, reason_code: str, reason: str = "", bump: bool = True) -> None:
    _refresh_derived(patient)
    if bump and patient.pk:
        patient.version += 1
    # RNIV ST-11: a second identity with the same INS is a potential duplicate, never a silent record.
    if _ins_taken_elsewhere(patient):
        raise RuleViolation(ST11_MESSAGE, code="ST-11")
    stamp_history(patient, actor=actor, reason_code=reason_code, reason=reason)
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError as exc:
        # Two concurrent retrievals of the same INS: the unique constraint decides, the loser gets ST-11.
        if _ins_taken_elsewhere(patient):
            raise RuleViolation(ST11_MESSAGE, code="ST-11") from exc
        raise


def _lock(patient: Patient | int, expected_version: int | None = None) -> Patient:
    pk = patient.pk if isinstance(patient, Patient) else patient
    locked = Patient.objects.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            "L'identité a été modifiée par ailleurs depuis votre lecture : rechargez-la avant de la modifier.",
            details={"current_version": locked.version},
        )
    return locked


def _require_reason(reason: str, rule: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise _invalid("reason", f"Un motif est obligatoire (règle {rule}).")
    return text


@transaction.atomic
def patient_create(
    *,
    actor: Any,
    birth_name: str,
    first_name: str,
    sex: str,
    birth_date: date,
    first_names: str = "",
    birth_day_estimated: bool = False,
    birth_month_estimated: bool = False,
    birth_year_estimated: bool = False,
    birthplace_cog: str = "",
    used_name: str = "",
    used_first_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    to_regularise: bool = False,
    collection_method: str = CollectionMethod.SM,
    reason: str = "",
) -> IdentityResult:
    """Create a provisional identity from traits typed or read by an agent (TR-01 to TR-09)."""
    values = {
        "birth_name": birth_name,
        "first_name": first_name,
        "first_names": first_names or first_name,
        "sex": sex,
        "birth_date": birth_date,
        "birth_day_estimated": birth_day_estimated,
        "birth_month_estimated": birth_month_estimated,
        "birth_year_estimated": birth_year_estimated,
        "birthplace_cog": birthplace_cog,
        "used_name": used_name,
        "used_first_name": used_first_name,
        "address": address,
        "phone": phone,
        "email": email,
        "to_regularise": to_regularise,
    }
    clean, warnings = _clean_traits(values)
    if collection_method not in CollectionMethod.values:
        raise _invalid("collection_method", "Mode de recueil inconnu.")
    patient = Patient(**clean, collection_method=collection_method)
    _check_first_names(patient)
    _save(patient, actor=actor, reason_code=reasons.CREATE, reason=reason)
    return IdentityResult(patient, warnings, list(clean))


@transaction.atomic
def patient_update_traits(
    *,
    actor: Any,
    patient: Patient | int,
    changes: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> IdentityResult:
    """Change traits of an identity (ST-05: retrieved traits locked; ST-07: strict edit withdraws C)."""
    unknown = set(changes) - set(STRICT_TRAITS) - set(ADDITIONAL_TRAITS)
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(
            name, "Ce champ ne peut pas être modifié ici (statut, INS et attributs passent par les actions)."
        )
    locked = _lock(patient, expected_version)
    clean, warnings = _clean_traits(changes)
    changed = [name for name, value in clean.items() if getattr(locked, name) != value]
    if not changed:
        return IdentityResult(locked, warnings, [])
    strict_changed = [name for name in changed if name in STRICT_TRAITS]
    # RNIV ST-05: the strict traits of a retrieved INS are INSi's; changing one needs a downgrade first.
    if strict_changed and locked.strict_traits_locked:
        raise RuleViolation(
            "Les traits stricts d'une identité dont l'INS a été récupérée sont verrouillés : "
            "déclassez l'identité avant de les modifier (règle ST-05).",
            code="ST-05",
            details={"locked_fields": strict_changed},
        )
    for name in changed:
        setattr(locked, name, clean[name])
    _check_first_names(locked)
    reason_code = reasons.TRAITS_UPDATE
    # RNIV ST-07: editing a strict trait of a validated identity withdraws C; the document is checked again.
    if strict_changed and locked.document_checked:
        locked.document_checked = False
        locked.document_checked_at = None
        reason_code = reasons.DOCUMENT_WITHDRAWN_BY_EDIT
        warnings.append(
            "Un trait strict a été modifié : la validation par justificatif est retirée, "
            "la pièce d'identité doit être contrôlée à nouveau (règle ST-07)."
        )
    _save(locked, actor=actor, reason_code=reason_code, reason=reason)
    return IdentityResult(locked, warnings, changed)


def _is_minor(birth_date: date, on: date) -> bool:
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age < 18


@dataclass
class DocumentResult:
    patient: Patient
    document: IdentityDocument
    verdict: DocumentVerdict


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
    try:
        doc_type = DocumentType(document_type)
    except ValueError as exc:
        raise _invalid("document_type", "Type de justificatif inconnu.") from exc
    try:
        doc_context = DocumentContext(context)
    except ValueError as exc:
        raise _invalid("context", "Contexte de présentation inconnu.") from exc
    country = (issuing_country or "").strip().upper()
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        raise _invalid("issuing_country", "Le pays émetteur doit être un code ISO 3166 à deux lettres (ex. FR).")
    locked = _lock(patient, expected_version)
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
        is_copy=is_copy,
        context=doc_context,
        holder_is_minor=_is_minor(locked.birth_date, timezone.localdate(now)),
    )
    document = IdentityDocument(
        patient=locked,
        document_type=doc_type.value,
        issuing_country=country,
        is_copy=is_copy,
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
    if verdict.can_validate and not locked.document_checked:
        locked.document_checked = True
        locked.document_checked_at = now
        _save(locked, actor=actor, reason_code=reasons.DOCUMENT_CHECK, reason=reason or verdict.rule)
    return DocumentResult(locked, document, verdict)


def _attribute(code: Attribute | str) -> Attribute:
    try:
        return parse_attribute(str(code))
    except ValueError as exc:
        raise _invalid("attribute", "Attribut inconnu : utilisez DOUT, FICT, HOMD ou HOMA.") from exc


@transaction.atomic
def identity_set_attribute(
    *, actor: Any, patient: Patient | int, attribute: Attribute | str, reason: str, expected_version: int | None = None
) -> IdentityResult:
    """Set DOUT, FICT, HOMD or HOMA with a reason (ST-02, ST-03)."""
    attr = _attribute(attribute)
    text = _require_reason(reason, "ST-02")
    locked = _lock(patient, expected_version)
    if attr in locked.attributes:
        return IdentityResult(locked, [], [])
    conflict = conflicting_attribute(locked.attributes, attr)
    if conflict:
        raise InvalidTransition(
            f"Une identité ne peut pas être à la fois douteuse et fictive : retirez d'abord {conflict.value} "
            "(règle ST-02).",
            code="ST-02",
        )
    warnings = []
    setattr(locked, ATTRIBUTE_FIELDS[attr], True)
    if attr == Attribute.HOMA:
        locked.homonym_detected = False  # a confirmed homonym supersedes the detection
    if attr in (Attribute.DOUT, Attribute.FICT) and (locked.ins_verified or locked.document_checked):
        # RNIV ST-03: doubtful or fictitious means provisional; I and C are withdrawn, not just hidden.
        _withdraw_ins(locked, actor=actor)
        locked.document_checked = False
        locked.document_checked_at = None
        warnings.append("L'identité repasse au statut provisoire : INS et validation retirées (règle ST-03).")
    _save(locked, actor=actor, reason_code=reasons.attribute_set(attr), reason=text)
    return IdentityResult(locked, warnings, [ATTRIBUTE_FIELDS[attr]])


@transaction.atomic
def identity_clear_attribute(
    *, actor: Any, patient: Patient | int, attribute: Attribute | str, reason: str, expected_version: int | None = None
) -> IdentityResult:
    """Clear an attribute with a reason (ST-02)."""
    attr = _attribute(attribute)
    text = _require_reason(reason, "ST-02")
    locked = _lock(patient, expected_version)
    if attr not in locked.attributes:
        return IdentityResult(locked, [], [])
    setattr(locked, ATTRIBUTE_FIELDS[attr], False)
    _save(locked, actor=actor, reason_code=reasons.attribute_clear(attr), reason=text)
    return IdentityResult(locked, [], [ATTRIBUTE_FIELDS[attr]])


def _remember_ins(
    patient: Patient,
    *,
    actor: Any,
    matricule: str,
    oid: str,
    source: str,
    reason_code: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> None:
    """Keep an earlier matricule in the INS history, once per patient (INSI-09)."""
    if InsHistoryEntry.objects.filter(patient=patient, matricule=matricule, oid=oid).exists():
        return
    entry = InsHistoryEntry(
        patient=patient, matricule=matricule, oid=oid, source=source, valid_from=valid_from, valid_until=valid_until
    )
    stamp_history(entry, actor=actor, reason_code=reason_code)
    entry.save()


def _withdraw_ins(patient: Patient, *, actor: Any) -> None:
    if patient.ins_matricule and patient.ins_oid:
        _remember_ins(
            patient,
            actor=actor,
            matricule=patient.ins_matricule,
            oid=patient.ins_oid,
            source=InsHistoryEntry.Source.WITHDRAWN,
            reason_code=reasons.DOWNGRADE,
        )
    patient.ins_matricule = None
    patient.ins_oid = None
    patient.ins_verified = False
    patient.ins_verified_at = None


@transaction.atomic
def identity_downgrade(
    *,
    actor: Any,
    patient: Patient | int,
    withdraw_ins: bool,
    withdraw_document: bool,
    reason: str,
    expected_version: int | None = None,
) -> IdentityResult:
    """Withdraw I and/or C with a mandatory reason (RNIV ST-06); the strict traits unlock."""
    text = _require_reason(reason, "ST-06")
    if not withdraw_ins and not withdraw_document:
        raise _invalid(
            "withdraw_ins", "Indiquez ce qui est retiré : l'INS, la validation par justificatif, ou les deux."
        )
    locked = _lock(patient, expected_version)
    changed = []
    if withdraw_ins and locked.ins_verified:
        _withdraw_ins(locked, actor=actor)
        changed.append("ins_verified")
    if withdraw_document and locked.document_checked:
        locked.document_checked = False
        locked.document_checked_at = None
        changed.append("document_checked")
    if not changed:
        raise InvalidTransition("Rien à déclasser : l'identité n'a ni INS récupérée ni validation.", code="ST-06")
    _save(locked, actor=actor, reason_code=reasons.DOWNGRADE, reason=text)
    return IdentityResult(locked, [], changed)


@dataclass(frozen=True)
class InsTraits:
    """The five INS traits returned by INSi, already in TR-03 form."""

    birth_name: str
    first_name: str
    first_names: str
    sex: str
    birth_date: date
    birthplace_cog: str = ""

    @classmethod
    def of(cls, patient: Patient) -> "InsTraits":
        """The local strict traits of a patient, in the shape INSi returns them."""
        return cls(
            patient.birth_name,
            patient.first_name,
            patient.first_names,
            patient.sex,
            patient.birth_date,
            patient.birthplace_cog,
        )


@dataclass(frozen=True)
class EarlierIns:
    matricule: str
    oid: str
    valid_from: date | None = None
    valid_until: date | None = None


@transaction.atomic
def identity_record_ins(
    *,
    actor: Any,
    patient: Patient | int,
    matricule: str,
    oid: str,
    traits: InsTraits,
    earlier: list[EarlierIns] | tuple[EarlierIns, ...] = (),
    reason: str,
    reason_code: str = "",
) -> IdentityResult:
    """Retrieve an INS returned by INSi: its traits replace and lock the strict traits (INSI-09, ST-05).

    Only the INSi services call this: the INS is never typed by hand (TR-11).
    """
    try:
        validate_ins(matricule, oid)
    except InsError as exc:
        raise RuleViolation(exc.message, code=exc.rule) from exc
    locked = _lock(patient)
    if blocks_qualification(locked.attributes):
        raise InvalidTransition(
            "Une identité douteuse ou fictive ne peut pas être qualifiée (règle ST-03).", code="ST-03"
        )
    clean, _ = _clean_traits(
        {
            "birth_name": traits.birth_name,
            "first_name": traits.first_name,
            "first_names": traits.first_names,
            "sex": traits.sex,
            "birth_date": traits.birth_date,
            # RNIV TR-13: a COG returned by INSi is accepted as is, even unknown locally.
            "birthplace_cog": traits.birthplace_cog,
        }
    )
    strict_changed = [name for name, value in clean.items() if getattr(locked, name) != value]
    code = reason_code or reasons.INS_RETRIEVED
    if locked.ins_matricule and (locked.ins_matricule, locked.ins_oid) != (matricule, oid):
        _remember_ins(
            locked,
            actor=actor,
            matricule=locked.ins_matricule,
            oid=locked.ins_oid,
            source=InsHistoryEntry.Source.REPLACED,
            reason_code=code,
        )
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.birth_day_estimated = locked.birth_month_estimated = locked.birth_year_estimated = False
    locked.ins_matricule = matricule
    locked.ins_oid = oid
    locked.ins_verified = True
    locked.ins_verified_at = timezone.now()
    for item in earlier:
        _remember_ins(
            locked,
            actor=actor,
            matricule=item.matricule,
            oid=item.oid,
            source=InsHistoryEntry.Source.INSI_HISTORY,
            reason_code=code,
            valid_from=item.valid_from,
            valid_until=item.valid_until,
        )
    _save(locked, actor=actor, reason_code=code, reason=reason)
    return IdentityResult(locked, [], strict_changed)


@transaction.atomic
def identity_record_ins_verification(*, actor: Any, patient: Patient | int, reason: str = "") -> IdentityResult:
    """Record a successful re-verification of the stored INS through INSi (ST-08)."""
    locked = _lock(patient)
    if not locked.ins_verified:
        raise InvalidTransition("Aucune INS récupérée à vérifier.", code="ST-08")
    locked.ins_verified_at = timezone.now()
    _save(locked, actor=actor, reason_code=reasons.INS_VERIFIED, reason=reason)
    return IdentityResult(locked, [], ["ins_verified_at"])
