"""Selectors that read consents, oppositions, episodes and the facts of an access decision."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from consent.codes import AccessMode
from consent.models import (
    AccessDecisionLog,
    CareEpisode,
    CareTeamMember,
    ConsentRecord,
    EmergencyAccess,
    PatientOpposition,
    Professional,
)
from consent.rules import AccessRequest, ConsentFact, EmergencyFact, OppositionFact, is_minor
from patients.models import Patient
from patients.status import Status


def professional_list(*, include_inactive: bool = False, national_id: str | None = None) -> QuerySet[Professional]:
    """The professionals; by ``national_id`` (unique, PRO-01), the one holding it, deactivated or not."""
    qs = Professional.objects.all()
    if national_id is not None:
        return qs.filter(national_id=national_id)
    return qs if include_inactive else qs.filter(is_active=True)


def episode_list(*, patient: Patient | None = None) -> QuerySet[CareEpisode]:
    qs = CareEpisode.objects.select_related("patient")
    return qs.filter(patient=patient) if patient is not None else qs


def consents_for_patient(*, patient: Patient, in_force_only: bool = False) -> QuerySet[ConsentRecord]:
    qs = ConsentRecord.objects.filter(episode__patient=patient).select_related("episode", "professional")
    return qs.filter(withdrawn_at__isnull=True) if in_force_only else qs


def oppositions_for_patient(*, patient: Patient, in_force_only: bool = False) -> QuerySet[PatientOpposition]:
    qs = PatientOpposition.objects.filter(patient=patient)
    return qs.filter(withdrawn_at__isnull=True) if in_force_only else qs


def emergency_accesses_for_patient(*, patient: Patient) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.filter(episode__patient=patient).select_related("professional", "episode")


def decision_log(*, patient: Patient | None = None) -> QuerySet[AccessDecisionLog]:
    qs = AccessDecisionLog.objects.select_related("professional", "episode")
    return qs.filter(patient=patient) if patient is not None else qs


def is_team_member(*, episode: CareEpisode, professional: Professional, at: datetime) -> bool:
    """RULES CONS-03: the professional belongs to the episode's care team at this time."""
    return CareTeamMember.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__gt=at),
        episode=episode,
        professional=professional,
        joined_at__lte=at,
    ).exists()


def access_request_for(
    *,
    patient: Patient,
    professional: Professional,
    episode: CareEpisode,
    purpose: str,
    mode: str = AccessMode.NORMAL,
    at: datetime,
) -> AccessRequest:
    """Gather what the pure decision needs (CONS-08)."""
    consents = tuple(
        ConsentFact(
            purpose=c.purpose,
            decision=c.decision,
            capacity=c.given_by_capacity,
            recorded_at=c.collected_at,
            withdrawn_at=c.withdrawn_at,
            same_episode=c.episode_id == episode.pk,
            for_professional=None if c.professional_id is None else c.professional_id == professional.pk,
        )
        for c in ConsentRecord.objects.filter(episode__patient=patient)
    )
    oppositions = tuple(
        OppositionFact(kind=o.kind, recorded_at=o.recorded_at, withdrawn_at=o.withdrawn_at)
        for o in PatientOpposition.objects.filter(patient=patient)
    )
    emergencies = tuple(
        EmergencyFact(
            mode=e.mode,
            justification=e.justification,
            patient_cannot_express=e.patient_cannot_express,
            declared_at=e.declared_at,
        )
        for e in EmergencyAccess.objects.filter(episode=episode, professional=professional)
    )
    in_progress = episode.started_at <= at and (episode.ended_at is None or episode.ended_at > at)
    return AccessRequest(
        purpose=purpose,
        mode=mode,
        at=at,
        card_type=professional.card_type if professional.is_active else None,
        in_care_team=is_team_member(episode=episode, professional=professional, at=at),
        episode_kind=episode.kind,
        episode_in_progress=in_progress,
        patient_is_minor=is_minor(patient.birth_date, timezone.localdate(at)),
        legal_protection=episode.legal_protection,
        identity_qualified=patient.status == Status.QUAL,
        consents=consents,
        oppositions=oppositions,
        emergencies=emergencies,
    )
