"""Attributes and downgrade: the referent's actions on an identity (RNIV ST-02, ST-03, ST-06)."""

from typing import Any

from django.db import transaction

from identity_registry.exceptions import InvalidTransition
from patients import reasons
from patients.models import Patient
from patients.services import ins as ins_records
from patients.services.common import (
    ATTRIBUTE_FIELDS,
    IdentityResult,
    invalid,
    lock_patient,
    require_reason,
    save_identity,
)
from patients.status import Attribute, conflicting_attribute, parse_attribute


def _attribute(code: Attribute | str) -> Attribute:
    try:
        return parse_attribute(str(code))
    except ValueError as exc:
        raise invalid("attribute", "Attribut inconnu : utilisez DOUT, FICT, HOMD ou HOMA.") from exc


@transaction.atomic
def identity_set_attribute(
    *, actor: Any, patient: Patient | int, attribute: Attribute | str, reason: str, expected_version: int | None = None
) -> IdentityResult:
    """Set DOUT, FICT, HOMD or HOMA with a reason (ST-02, ST-03)."""
    attr = _attribute(attribute)
    text = require_reason(reason, "ST-02")
    locked = lock_patient(patient, expected_version)
    if attr in locked.attributes:
        return IdentityResult(locked, [], [])
    conflict = conflicting_attribute(locked.attributes, attr)
    if conflict:
        raise InvalidTransition(
            f"Une identité ne peut pas être à la fois douteuse et fictive : retirez d'abord {conflict.value} "
            "(règle ST-02).",
            code="ST-02",
        )
    code = reasons.attribute_set(attr)
    warnings = []
    changed = [ATTRIBUTE_FIELDS[attr]]
    setattr(locked, ATTRIBUTE_FIELDS[attr], True)
    if attr == Attribute.HOMA and locked.homonym_detected:
        locked.homonym_detected = False  # a confirmed homonym supersedes the detection
        changed.append(ATTRIBUTE_FIELDS[Attribute.HOMD])
    if attr in (Attribute.DOUT, Attribute.FICT) and (locked.ins_verified or locked.document_checked):
        # RNIV ST-03: doubtful or fictitious means provisional; I and C are withdrawn, not just hidden.
        if locked.ins_verified:
            ins_records.withdraw_ins(locked, actor=actor, reason_code=code)
            changed.append("ins_verified")
        if locked.document_checked:
            locked.document_checked = False
            locked.document_checked_at = None
            changed.append("document_checked")
        warnings.append("L'identité repasse au statut provisoire : INS et validation retirées (règle ST-03).")
    save_identity(locked, actor=actor, reason_code=code, reason=text)
    return IdentityResult(locked, warnings, changed)


@transaction.atomic
def identity_clear_attribute(
    *, actor: Any, patient: Patient | int, attribute: Attribute | str, reason: str, expected_version: int | None = None
) -> IdentityResult:
    """Clear an attribute with a reason (ST-02)."""
    attr = _attribute(attribute)
    text = require_reason(reason, "ST-02")
    locked = lock_patient(patient, expected_version)
    if attr not in locked.attributes:
        return IdentityResult(locked, [], [])
    setattr(locked, ATTRIBUTE_FIELDS[attr], False)
    save_identity(locked, actor=actor, reason_code=reasons.attribute_clear(attr), reason=text)
    return IdentityResult(locked, [], [ATTRIBUTE_FIELDS[attr]])


@transaction.atomic
def identity_downgrade(
    *,
    actor: Any,
    patient: Patient | int,
    withdraw_ins: bool,
    withdraw_document: bool,
    reason: str,
    expected_version: int | None = None,
    reason_code: str = reasons.DOWNGRADE,
    event_kinds: tuple[str, ...] = (),
) -> IdentityResult:
    """Withdraw I and/or C with a mandatory reason (RNIV ST-06); the strict traits unlock.

    ``reason_code`` and ``event_kinds`` let a caller name what brought the downgrade (an incident, AUD-04).
    """
    text = require_reason(reason, "ST-06")
    if not withdraw_ins and not withdraw_document:
        raise invalid(
            "withdraw_ins", "Indiquez ce qui est retiré : l'INS, la validation par justificatif, ou les deux."
        )
    locked = lock_patient(patient, expected_version)
    changed = []
    if withdraw_ins and locked.ins_verified:
        ins_records.withdraw_ins(locked, actor=actor, reason_code=reason_code)
        changed.append("ins_verified")
    if withdraw_document and locked.document_checked:
        locked.document_checked = False
        locked.document_checked_at = None
        changed.append("document_checked")
    if not changed:
        raise InvalidTransition("Rien à déclasser : l'identité n'a ni INS récupérée ni validation.", code="ST-06")
    save_identity(locked, actor=actor, reason_code=reason_code, reason=text, event_kinds=event_kinds)
    return IdentityResult(locked, [], changed)
