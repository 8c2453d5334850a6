"""Services that record and withdraw consents and standing oppositions (RULES CONS-01 to CONS-06)."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from consent import reasons
from consent.codes import Channel, ConsentPurpose, GiverCapacity, OppositionKind
from consent.models import CareEpisode, ConsentRecord, PatientOpposition, Professional
from consent.rules import consent_input_error
from consent.services._common import invalid, lock, require_choice, require_open_episode, require_text, withdraw
from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history
from patients.models import Patient


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    episode: CareEpisode | int,
    purpose: str,
    decision: str,
    given_by_capacity: str,
    given_by_name: str,
    channel: str,
    professional: Professional | None = None,
    collected_at: datetime | None = None,
    reason: str = "",
) -> ConsentRecord:
    """Record information, a consent, a refusal or an opposition for one care episode (CONS-01 to CONS-04)."""
    require_choice(purpose, ConsentPurpose, field_name="purpose", label="Objet du recueil")
    error = consent_input_error(purpose=purpose, decision=decision, names_professional=professional is not None)
    if error:
        field_name = "professional" if purpose == ConsentPurpose.DELEGATION and professional is None else "decision"
        raise invalid(field_name, error)
    # RULES CONS-04: the record says who consented and in which capacity.
    capacity = require_choice(given_by_capacity, GiverCapacity, field_name="given_by_capacity", label="Qualité")
    name = require_text(given_by_name, field_name="given_by_name", message="Le nom du déclarant est obligatoire.")
    channel = require_choice(channel, Channel, field_name="channel", label="Canal de recueil")
    locked = lock(CareEpisode, episode)
    require_open_episode(locked)
    record = ConsentRecord(
        episode=locked,
        purpose=purpose,
        decision=decision,
        professional=professional,
        given_by_capacity=capacity,
        given_by_name=name,
        channel=channel,
        collected_by=actor,
        collected_at=collected_at or timezone.now(),
    )
    stamp_history(record, actor=actor, reason_code=reasons.CONSENT_RECORD, reason=reason)
    record.save()
    return record


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: ConsentRecord | int, reason: str = "") -> ConsentRecord:
    """Withdraw a consent record; the earlier state stays in history and decisions change at once."""
    already = RuleViolation("Ce recueil a déjà été retiré.", code="CONS-01")
    return withdraw(
        ConsentRecord, consent, actor=actor, reason_code=reasons.CONSENT_WITHDRAW, reason=reason, already=already
    )


@transaction.atomic
def opposition_record(
    *,
    actor: Any,
    patient: Patient,
    kind: str,
    expressed_by_capacity: str,
    expressed_by_name: str,
    reason: str = "",
) -> PatientOpposition:
    """Record a standing opposition to emergency access, Centre 15 access or feeding (CONS-06)."""
    kind = require_choice(kind, OppositionKind, field_name="kind", label="Type d'opposition")
    capacity = require_choice(expressed_by_capacity, GiverCapacity, field_name="expressed_by_capacity", label="Qualité")
    name = require_text(
        expressed_by_name, field_name="expressed_by_name", message="Le nom du déclarant est obligatoire."
    )
    # Serialise writers on the patient so two agents cannot record the same opposition twice.
    Patient.objects.select_for_update().get(pk=patient.pk)
    if PatientOpposition.objects.filter(patient=patient, kind=kind, withdrawn_at__isnull=True).exists():
        raise RuleViolation("Cette opposition est déjà en vigueur pour ce patient (règle CONS-06).", code="CONS-06")
    opposition = PatientOpposition(
        patient=patient,
        kind=kind,
        expressed_by_capacity=capacity,
        expressed_by_name=name,
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    stamp_history(opposition, actor=actor, reason_code=reasons.OPPOSITION_RECORD, reason=reason)
    try:
        with transaction.atomic():
            opposition.save()
    except IntegrityError as exc:
        raise RuleViolation(
            "Cette opposition est déjà en vigueur pour ce patient (règle CONS-06).", code="CONS-06"
        ) from exc
    return opposition


@transaction.atomic
def opposition_withdraw(*, actor: Any, opposition: PatientOpposition | int, reason: str = "") -> PatientOpposition:
    """Withdraw a standing opposition; the earlier state stays in history (CONS-06)."""
    already = RuleViolation("Cette opposition a déjà été retirée (règle CONS-06).", code="CONS-06")
    return withdraw(
        PatientOpposition,
        opposition,
        actor=actor,
        reason_code=reasons.OPPOSITION_WITHDRAW,
        reason=reason,
        already=already,
    )
