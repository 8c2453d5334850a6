"""Helpers shared by the consent services."""

from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from identity_registry.exceptions import InvalidInput, RuleViolation
from identity_registry.history import stamp_history

M = TypeVar("M", bound=models.Model)


def invalid(field_name: str, message: str) -> InvalidInput:
    """A 400 naming the field at fault."""
    return InvalidInput(message, details={field_name: [message]})


def require_text(value: str | None, *, field_name: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid(field_name, message)
    return text


def require_choice(value: Any, choices: type[models.TextChoices], *, field_name: str, label: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise invalid(field_name, f"{label} inconnu(e) : valeurs possibles {allowed}.")
    return str(value)


def lock(model: type[M], instance: M | int) -> M:
    """Re-read a row under ``select_for_update``: the caller may hold an instance from before a change."""
    pk = instance.pk if isinstance(instance, model) else instance
    return model.objects.select_for_update().get(pk=pk)


def withdraw(
    model: type[M], instance: M | int, *, actor: Any, reason_code: str, reason: str, already: RuleViolation
) -> M:
    """Date the withdrawal of a consent or an opposition; history keeps the state before it (AUD-01)."""
    locked = lock(model, instance)
    if locked.withdrawn_at is not None:
        raise already
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    stamp_history(locked, actor=actor, reason_code=reason_code, reason=reason)
    locked.save()
    return locked


def require_open_episode(episode: Any) -> None:
    """RULES CONS-01: consents, team changes and emergency accesses belong to an episode in progress."""
    if episode.ended_at is not None and episode.ended_at <= timezone.now():
        raise RuleViolation(
            "Cet épisode de soins est clôturé : ouvrez un nouvel épisode pour ce recueil (règle CONS-01).",
            code="CONS-01",
        )
