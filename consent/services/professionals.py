"""Services that write professionals (RULES PRO-01, PRO-02)."""

from typing import Any

from django.db import IntegrityError, transaction

from consent import reasons
from consent.codes import CardType
from consent.identifiers import IdentifierError, parse_national_identifier
from consent.models import Professional
from consent.services._common import invalid, lock, require_choice, require_text
from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history

EDITABLE = ("national_id", "last_name", "first_name", "profession", "card_type", "user")


def _apply(professional: Professional, values: dict[str, Any]) -> None:
    if "national_id" in values:
        try:
            parsed = parse_national_identifier(values["national_id"])
        except IdentifierError as exc:
            raise invalid("national_id", exc.message) from exc
        professional.national_id = parsed.value
        professional.id_kind = parsed.kind.value
    for name, label in (("last_name", "Le nom"), ("first_name", "Le prénom"), ("profession", "La profession")):
        if name in values:
            setattr(
                professional, name, require_text(values[name], field_name=name, message=f"{label} est obligatoire.")
            )
    if "card_type" in values:
        professional.card_type = require_choice(
            values["card_type"], CardType, field_name="card_type", label="Type de carte (PRO-02)"
        )
    if "user" in values:
        professional.user = values["user"]


def _save(professional: Professional, *, actor: Any, reason_code: str, reason: str = "") -> Professional:
    stamp_history(professional, actor=actor, reason_code=reason_code, reason=reason)
    try:
        with transaction.atomic():
            professional.save()
    except IntegrityError as exc:
        message = "Cet identifiant national ou ce compte est déjà rattaché à un autre professionnel."
        raise RuleViolation(message, code="PRO-01", details={"national_id": [message]}) from exc
    return professional


@transaction.atomic
def professional_create(
    *,
    actor: Any,
    national_id: str,
    last_name: str,
    first_name: str,
    profession: str,
    card_type: str,
    user: Any = None,
) -> Professional:
    """Register a professional with a checked RPPS or ADELI identifier (PRO-01) and card type (PRO-02)."""
    professional = Professional()
    _apply(
        professional,
        {
            "national_id": national_id,
            "last_name": last_name,
            "first_name": first_name,
            "profession": profession,
            "card_type": card_type,
            "user": user,
        },
    )
    return _save(professional, actor=actor, reason_code=reasons.PROFESSIONAL_CREATE)


@transaction.atomic
def professional_update(
    *, actor: Any, professional: Professional | int, changes: dict[str, Any], reason: str = ""
) -> Professional:
    """Change a professional's identifier, name, profession, card or account."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], "Ce champ ne peut pas être modifié.")
    locked = lock(Professional, professional)
    _apply(locked, changes)
    return _save(locked, actor=actor, reason_code=reasons.PROFESSIONAL_UPDATE, reason=reason)


@transaction.atomic
def professional_deactivate(*, actor: Any, professional: Professional | int, reason: str = "") -> Professional:
    """Deactivate a professional; the record and its history stay (AUD-01)."""
    locked = lock(Professional, professional)
    if not locked.is_active:
        return locked
    locked.is_active = False
    return _save(locked, actor=actor, reason_code=reasons.PROFESSIONAL_DEACTIVATE, reason=reason)
