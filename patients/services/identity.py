"""Create an identity and change its traits (RNIV TR-01 to TR-09, ST-05, ST-07)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import RuleViolation
from patients import reasons
from patients.models import CollectionMethod, Patient, Sex
from patients.services.common import (
    ADDITIONAL_TRAITS,
    STRICT_TRAITS,
    IdentityResult,
    invalid,
    lock_patient,
    save_identity,
)
from patients.traits import TraitError, first_names_match_first, normalize_first_names, normalize_trait, validate_cog

TRAIT_LABELS = {
    "birth_name": "Le nom de naissance",
    "first_name": "Le premier prénom de naissance",
    "first_names": "La liste des prénoms de naissance",
    "used_name": "Le nom utilisé",
    "used_first_name": "Le prénom utilisé",
    "address": "L'adresse",
    "phone": "Le téléphone",
    "email": "L'adresse de courriel",
}


def _fits(name: str, value: str) -> str:
    # TR-03 transliteration lengthens a name (Œ→OE): check the stored value, not the typed one, so an
    # over-long name is a clear 400 and never a database error.
    limit = Patient._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        raise invalid(name, f"{TRAIT_LABELS[name]} dépasse {limit} caractères une fois normalisé (règle TR-03).")
    return value


def _clean_names(values: dict[str, Any], clean: dict[str, Any], warnings: list[str]) -> None:
    for name in ("birth_name", "first_name", "first_names", "used_name", "used_first_name"):
        if name not in values:
            continue
        raw = values[name] or ""
        if name.startswith("used") and not raw.strip():
            clean[name] = ""
            continue
        normalize = normalize_first_names if name == "first_names" else normalize_trait
        try:
            result = normalize(raw, label=TRAIT_LABELS[name])
        except TraitError as exc:
            raise invalid(name, exc.message) from exc
        clean[name] = _fits(name, result.value)
        warnings.extend(f"{TRAIT_LABELS[name]} : {w}" for w in result.warnings)


def clean_traits(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Normalise and check the traits given; return the clean values and the warnings (TR-01..TR-07)."""
    clean: dict[str, Any] = {}
    warnings: list[str] = []
    _clean_names(values, clean, warnings)
    if "sex" in values:
        if values["sex"] not in Sex.values:
            raise invalid("sex", "Le sexe doit être M, F ou U (inconnu).")
        clean["sex"] = values["sex"]
    if "birth_date" in values:
        birth_date = values["birth_date"]
        if not isinstance(birth_date, date) or isinstance(birth_date, datetime):
            raise invalid("birth_date", "La date de naissance est invalide.")
        if birth_date > timezone.localdate():
            raise invalid("birth_date", "La date de naissance ne peut pas être dans le futur.")
        clean["birth_date"] = birth_date
    for flag in ("birth_day_estimated", "birth_month_estimated", "birth_year_estimated", "to_regularise"):
        if flag in values:
            clean[flag] = bool(values[flag])
    if "birthplace_cog" in values:
        raw = values["birthplace_cog"] or ""
        try:
            clean["birthplace_cog"] = validate_cog(raw) if raw.strip() else ""
        except TraitError as exc:
            raise invalid("birthplace_cog", exc.message) from exc
    for name in ("address", "phone"):
        if name in values:
            clean[name] = _fits(name, (values[name] or "").strip())
    if "email" in values:
        email = (values["email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except DjangoValidationError as exc:
                raise invalid("email", "L'adresse de courriel est invalide.") from exc
        clean["email"] = _fits("email", email)
    return clean, warnings


def check_first_names(patient: Patient) -> None:
    # RNIV TR-01, TR-04: the list opens with the first first name, which may itself be composed.
    if not first_names_match_first(patient.first_name, patient.first_names):
        raise invalid(
            "first_names",
            "La liste des prénoms de naissance doit commencer par le premier prénom de naissance (règle TR-01).",
        )


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
    clean, warnings = clean_traits(values)
    if collection_method not in CollectionMethod.values:
        raise invalid("collection_method", "Mode de recueil inconnu.")
    patient = Patient(**clean, collection_method=collection_method)
    check_first_names(patient)
    save_identity(patient, actor=actor, reason_code=reasons.CREATE, reason=reason)
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
        # RNIV TR-11: the INS (and the status, the attributes) never change through a traits edit.
        raise invalid(name, "Ce champ ne peut pas être modifié ici (statut, INS et attributs passent par les actions).")
    locked = lock_patient(patient, expected_version)
    clean, warnings = clean_traits(changes)
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
    check_first_names(locked)
    reason_code = reasons.TRAITS_UPDATE
    # RNIV ST-07: editing a strict trait of a validated identity withdraws C; the document is checked again.
    if strict_changed and locked.document_checked:
        locked.document_checked = False
        locked.document_checked_at = None
        changed.append("document_checked")
        reason_code = reasons.DOCUMENT_WITHDRAWN_BY_EDIT
        warnings.append(
            "Un trait strict a été modifié : la validation par justificatif est retirée, "
            "la pièce d'identité doit être contrôlée à nouveau (règle ST-07)."
        )
    save_identity(locked, actor=actor, reason_code=reason_code, reason=reason)
    return IdentityResult(locked, warnings, changed)
