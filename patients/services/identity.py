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
    checked_ins,
    invalid,
    invalid_fields,
    lock_patient,
    save_identity,
)
from patients.traits import (
    TraitError,
    check_birth_date,
    check_estimated_birth_date,
    first_names_match_first,
    normalize_first_names,
    normalize_trait,
    validate_cog,
)

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
NAME_FIELDS = ("birth_name", "first_name", "first_names", "used_name", "used_first_name")


# Django rebuilds an enum's values on every access: an import checks millions of rows (issue 10).
SEX_VALUES = tuple(Sex.values)  # a tuple: any input, hashable or not, is compared
BIRTH_DATE_FIELDS = ("birth_date", "birth_day_estimated", "birth_month_estimated", "birth_year_estimated")
FIRST_NAME_FIELDS = ("first_name", "first_names")


def _fits(name: str, value: str) -> str:
    # TR-03 transliteration lengthens a name (Œ→OE): check the stored value, not the typed one, so an
    # over-long name is a clear 400 and never a database error.
    limit = Patient._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        raise TraitError(f"{TRAIT_LABELS[name]} dépasse {limit} caractères une fois normalisé (règle TR-03).")
    return value


def _clean_name(name: str, raw: str | None, warnings: list[str]) -> str:
    raw = raw or ""
    if name.startswith("used") and not raw.strip():
        return ""
    normalize = normalize_first_names if name == "first_names" else normalize_trait
    result = normalize(raw, label=TRAIT_LABELS[name])
    warnings.extend(f"{TRAIT_LABELS[name]} : {w}" for w in result.warnings)
    return _fits(name, result.value)


def _clean_birth_date(value: Any) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TraitError("La date de naissance est invalide.")
    return check_birth_date(value, today=timezone.localdate())


def _clean_sex(value: Any) -> str:
    if value not in SEX_VALUES:
        raise TraitError("Le sexe doit être M, F ou U (inconnu).")
    return value


def _clean_cog(value: str | None) -> str:
    raw = value or ""
    return validate_cog(raw) if raw.strip() else ""


def _clean_email(value: str | None) -> str:
    email = (value or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError as exc:
            raise TraitError("L'adresse de courriel est invalide.") from exc
    return _fits("email", email)


def _clean_field(name: str, value: Any, warnings: list[str]) -> Any:
    if name in NAME_FIELDS:
        return _clean_name(name, value, warnings)
    if name == "sex":
        return _clean_sex(value)
    if name == "birth_date":
        return _clean_birth_date(value)
    if name == "birthplace_cog":
        return _clean_cog(value)
    if name == "email":
        return _clean_email(value)
    if name in ("address", "phone"):
        return _fits(name, (value or "").strip())
    return bool(value)  # TR-07 flags, TR-09 to_regularise


def _check_across_fields(
    given: dict[str, Any], clean: dict[str, Any], failed: set[str], current: Patient | None
) -> dict[str, str]:
    """Check the rules that join fields on the traits as they will be stored: the given over the current ones.

    A rule runs when one of its fields is given, and none is already in error (that error comes first).
    """

    def stored(name: str) -> Any:
        if name in clean:
            return clean[name]
        return getattr(current, name) if current is not None else Patient._meta.get_field(name).get_default()

    def concerned(fields: tuple[str, ...]) -> bool:
        return any(name in given for name in fields) and not failed.intersection(fields)

    errors = {}
    # RNIV TR-01, TR-04: the list opens with the first first name, which may itself be composed.
    first_name, first_names = stored("first_name"), stored("first_names")
    if concerned(FIRST_NAME_FIELDS) and first_name and not first_names_match_first(first_name, first_names):
        errors["first_names"] = (
            "La liste des prénoms de naissance doit commencer par le premier prénom de naissance (règle TR-01)."
        )
    # RNIV TR-07: an estimated part holds the value the rule records (the 1st, January, 31 December).
    if concerned(BIRTH_DATE_FIELDS) and stored("birth_date"):
        try:
            check_estimated_birth_date(
                stored("birth_date"),
                day_estimated=stored("birth_day_estimated"),
                month_estimated=stored("birth_month_estimated"),
                year_estimated=stored("birth_year_estimated"),
            )
        except TraitError as exc:
            errors["birth_date"] = exc.message
    return errors


def clean_traits(
    values: dict[str, Any], *, current: Patient | None = None, across_fields: bool = True
) -> tuple[dict[str, Any], list[str]]:
    """Normalise and check the traits given; return the clean values and the warnings (TR-01 to TR-09).

    Every field in error is reported at once, in one InvalidInput whose details name each field. The
    rules joining fields (TR-01 first names, TR-07) see the given traits over those of ``current``.
    """
    clean: dict[str, Any] = {}
    warnings: list[str] = []
    errors: dict[str, str] = {}
    for name in (*STRICT_TRAITS, *ADDITIONAL_TRAITS):
        if name not in values:
            continue
        try:
            clean[name] = _clean_field(name, values[name], warnings)
        except TraitError as exc:
            errors[name] = exc.message
    if across_fields:
        errors.update(_check_across_fields(values, clean, set(errors), current))
    if errors:
        raise invalid_fields(errors)
    return clean, warnings


def check_traits(values: dict[str, Any], *, patient: Patient | None = None) -> list[str]:
    """Check traits as ``patient_create`` (no patient) or ``patient_update_traits`` would, writing nothing.

    Raise InvalidInput naming every field in error; return the warnings the write would give.
    """
    if patient is None:
        values = {**values, "first_names": values.get("first_names") or values.get("first_name", "")}
    return clean_traits(values, current=patient)[1]


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
    ins_read: tuple[str, str] | None = None,
) -> IdentityResult:
    """Create a provisional identity from traits typed or read by an agent (TR-01 to TR-09).

    ``ins_read`` is the (matricule, OID) of a Datamatrix INS read at the desk (DM-01): kept aside, unverified,
    to be compared with what INSi returns; the identity stays without I.
    """
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
    if ins_read is not None:
        checked_ins(*ins_read)
        patient.ins_read_matricule, patient.ins_read_oid = ins_read
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
    clean, warnings = clean_traits(changes, current=locked)
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
