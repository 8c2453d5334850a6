"""Emergency access and the DMP access decision (RULES CONS-05, CONS-08)."""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from consent import reasons
from consent.codes import EMERGENCY_MODES, AccessMode, AccessPurpose
from consent.models import AccessDecisionLog, CareEpisode, EmergencyAccess, Professional
from consent.rules import decide
from consent.selectors import access_request_for
from consent.services._common import invalid, require_choice, require_open_episode
from identity_registry.audit_chain import chain_insert
from identity_registry.history import stamp_history
from patients.models import Patient

JUSTIFICATION_REQUIRED = "La justification de l'accès en urgence est obligatoire (règle CONS-05)."
CANNOT_EXPRESS_REQUIRED = (
    "L'accès en urgence n'est possible que si le patient est hors d'état d'exprimer sa volonté (règle CONS-05)."
)
EMERGENCY_MODE_REQUIRED = "Le mode d'urgence est « bris_de_glace » ou « centre_15 » (règle CONS-05)."
PROFESSIONAL_INACTIVE = "Ce professionnel est désactivé : il ne peut pas déclarer d'accès en urgence."


def _instant(value: datetime) -> str:
    # The log is read on screens: its instants carry the Paris offset, as every time shown (issue 8, item 11).
    return timezone.localtime(value).isoformat()


def _facts_for_log(request: Any) -> dict[str, Any]:
    """The inputs kept in the log: flags, codes and dates; never identity traits, the INS or free text."""
    facts = asdict(request)
    for key in ("consents", "oppositions", "emergencies"):
        facts[key] = [{k: _instant(v) if isinstance(v, datetime) else v for k, v in f.items()} for f in facts[key]]
    # The justification is free text an agent may fill with names; the log keeps only that one was given.
    for emergency in facts["emergencies"]:
        emergency["justified"] = bool(emergency.pop("justification").strip())
    facts["at"] = _instant(request.at)
    return facts


@transaction.atomic
def dmp_access_decision(
    *,
    actor: Any,
    patient: Patient,
    professional: Professional,
    episode: CareEpisode,
    purpose: str,
    mode: str = AccessMode.NORMAL,
    at: datetime | None = None,
) -> AccessDecisionLog:
    """Decide whether this professional may access the patient's DMP, and log the decision (CONS-08)."""
    purpose = require_choice(purpose, AccessPurpose, field_name="purpose", label="Finalité")
    mode = require_choice(mode, AccessMode, field_name="mode", label="Mode d'accès")
    # Decide on the stored state, not on instances the caller may hold from before a change.
    patient = Patient.objects.get(pk=patient.pk)
    professional = Professional.objects.get(pk=professional.pk)
    episode = CareEpisode.objects.get(pk=episode.pk)
    if episode.patient_id != patient.pk:
        raise invalid("episode", "Cet épisode de soins n'appartient pas à ce patient (règle CONS-01).")
    when = at or timezone.now()
    request = access_request_for(
        patient=patient, professional=professional, episode=episode, purpose=purpose, mode=mode, at=when
    )
    decision = decide(request)
    # RULES AUD-01: appended at the end of the hash chain, under its lock.
    (row,) = chain_insert(
        AccessDecisionLog,
        [
            AccessDecisionLog(
                decided_at=timezone.now(),
                at=when,
                patient=patient,
                professional=professional,
                episode=episode,
                purpose=purpose,
                access_mode=mode,
                allowed=decision.allowed,
                basis=decision.basis.value,
                rule=decision.rule,
                message=decision.message,
                inputs=_facts_for_log(request),
                requested_by=actor,
            )
        ],
    )
    return row


@dataclass
class EmergencyResult:
    access: EmergencyAccess
    decision: AccessDecisionLog


@transaction.atomic
def emergency_access_declare(
    *,
    actor: Any,
    professional: Professional,
    episode: CareEpisode,
    mode: str,
    justification: str,
    patient_cannot_express: bool,
) -> EmergencyResult:
    """Declare an emergency access with its justification, then decide and log it (CONS-05, CONS-06)."""
    if mode not in EMERGENCY_MODES:
        raise invalid("mode", EMERGENCY_MODE_REQUIRED)
    text = (justification or "").strip()
    if not text:
        raise invalid("justification", JUSTIFICATION_REQUIRED)
    if patient_cannot_express is not True:
        raise invalid("patient_cannot_express", CANNOT_EXPRESS_REQUIRED)
    if not Professional.objects.filter(pk=professional.pk, is_active=True).exists():
        raise invalid("professional", PROFESSIONAL_INACTIVE)
    locked = CareEpisode.objects.select_for_update().get(pk=episode.pk)
    require_open_episode(locked)
    access = EmergencyAccess(
        professional=professional,
        episode=locked,
        mode=mode,
        justification=text,
        patient_cannot_express=True,
        declared_at=timezone.now(),
        declared_by=actor,
    )
    stamp_history(access, actor=actor, reason_code=reasons.EMERGENCY_DECLARE, reason=text)
    access.save()
    decision = dmp_access_decision(
        actor=actor,
        patient=locked.patient,
        professional=professional,
        episode=locked,
        purpose=AccessPurpose.CONSULTATION,
        mode=mode,
        at=access.declared_at,
    )
    return EmergencyResult(access, decision)
