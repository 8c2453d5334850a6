"""Services that write care episodes and their care teams (RULES CONS-01, CONS-03)."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from consent import reasons
from consent.codes import EpisodeKind, LegalProtection
from consent.models import AccessDecisionLog, CareEpisode, CareTeamMember, Professional
from consent.services._common import invalid, lock, require_choice, require_open_episode, require_text
from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history
from patients.models import Patient

EDITABLE = ("unit", "kind", "legal_protection", "started_at", "ended_at")


def _check_dates(started_at: datetime | None, ended_at: datetime | None) -> None:
    if started_at is None:
        raise invalid("started_at", "La date de début de l'épisode est obligatoire.")
    if ended_at is not None and ended_at < started_at:
        raise invalid("ended_at", "La fin de l'épisode ne peut pas précéder son début.")


def _apply(episode: CareEpisode, values: dict[str, Any]) -> None:
    if "unit" in values:
        episode.unit = require_text(values["unit"], field_name="unit", message="L'unité est obligatoire.")
    if "kind" in values:
        episode.kind = require_choice(values["kind"], EpisodeKind, field_name="kind", label="Nature d'épisode")
    if "legal_protection" in values:
        episode.legal_protection = require_choice(
            values["legal_protection"], LegalProtection, field_name="legal_protection", label="Mesure de protection"
        )
    for name in ("started_at", "ended_at"):
        if name in values:
            setattr(episode, name, values[name])
    _check_dates(episode.started_at, episode.ended_at)


@transaction.atomic
def care_episode_create(
    *,
    actor: Any,
    patient: Patient,
    unit: str,
    kind: str,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    legal_protection: str = LegalProtection.NONE,
) -> CareEpisode:
    """Open a care episode (pre-admission included) for a patient (CONS-01)."""
    episode = CareEpisode(patient=patient, created_by=actor)
    _apply(
        episode,
        {
            "unit": unit,
            "kind": kind,
            "legal_protection": legal_protection,
            "started_at": started_at or timezone.now(),
            "ended_at": ended_at,
        },
    )
    stamp_history(episode, actor=actor, reason_code=reasons.EPISODE_CREATE)
    episode.save()
    return episode


@transaction.atomic
def care_episode_update(
    *, actor: Any, episode: CareEpisode | int, changes: dict[str, Any], reason: str = ""
) -> CareEpisode:
    """Change an episode's unit, kind, protection measure or dates (closing it sets ``ended_at``)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], "Ce champ ne peut pas être modifié.")
    locked = lock(CareEpisode, episode)
    _apply(locked, changes)
    stamp_history(locked, actor=actor, reason_code=reasons.EPISODE_UPDATE, reason=reason)
    locked.save()
    return locked


@transaction.atomic
def care_episode_delete(*, actor: Any, episode: CareEpisode | int, reason: str = "") -> None:
    """Delete an episode opened by mistake; one that carries consents or accesses is kept (CONS-01, AUD-01)."""
    locked = lock(CareEpisode, episode)
    in_use = (
        locked.consents.exists()
        or locked.emergency_accesses.exists()
        or locked.team.exists()
        or AccessDecisionLog.objects.filter(episode=locked).exists()
    )
    if in_use:
        raise RuleViolation(
            "Cet épisode porte déjà une équipe, des recueils ou des accès : il ne peut pas être supprimé ; "
            "clôturez-le en renseignant sa date de fin (règle CONS-01).",
            code="CONS-01",
        )
    stamp_history(locked, actor=actor, reason_code=reasons.EPISODE_DELETE, reason=reason)
    locked.delete()


@transaction.atomic
def care_team_add_member(
    *,
    actor: Any,
    episode: CareEpisode | int,
    professional: Professional,
    role: str,
    joined_at: datetime | None = None,
    left_at: datetime | None = None,
) -> CareTeamMember:
    """Add a professional who takes part directly in the patient's care (CONS-03, CSP L1110-12)."""
    locked = lock(CareEpisode, episode)
    require_open_episode(locked)
    if not professional.is_active:
        raise invalid("professional", "Ce professionnel est désactivé.")
    joined = joined_at or timezone.now()
    # RULES CONS-03: presumed consent lives within the actual care, which starts with the episode.
    if joined < locked.started_at:
        raise invalid("joined_at", "L'entrée dans l'équipe de soins ne peut pas précéder le début de l'épisode.")
    if left_at is not None and left_at < joined:
        raise invalid("left_at", "La date de sortie de l'équipe ne peut pas précéder la date d'entrée.")
    member = CareTeamMember(
        episode=locked,
        professional=professional,
        role=require_text(role, field_name="role", message="Le rôle dans la prise en charge est obligatoire."),
        joined_at=joined,
        left_at=left_at,
        added_by=actor,
    )
    stamp_history(member, actor=actor, reason_code=reasons.TEAM_MEMBER_ADD)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise RuleViolation(
            "Ce professionnel fait déjà partie de l'équipe de soins de cet épisode.", code="CONS-03"
        ) from exc
    return member


@transaction.atomic
def care_team_end_membership(
    *, actor: Any, member: CareTeamMember | int, left_at: datetime | None = None, reason: str = ""
) -> CareTeamMember:
    """Record that a professional no longer takes part in the episode's care (CONS-03)."""
    locked = lock(CareTeamMember, member)
    if locked.left_at is not None:
        raise RuleViolation("Ce professionnel a déjà quitté l'équipe de soins.", code="CONS-03")
    left = left_at or timezone.now()
    if left < locked.joined_at:
        raise invalid("left_at", "La date de sortie de l'équipe ne peut pas précéder la date d'entrée.")
    locked.left_at = left
    stamp_history(locked, actor=actor, reason_code=reasons.TEAM_MEMBER_END, reason=reason)
    locked.save()
    return locked
