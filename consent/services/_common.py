"""Helpers shared by the consent services."""

from typing import Any

from django.db import models
from django.utils import timezone

from identity_registry.exceptions import InvalidInput, RuleViolation


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


def require_open_episode(episode: Any) -> None:
    """RULES CONS-01: consents, team changes and emergency accesses belong to an episode in progress."""
    if episode.ended_at is not None and episode.ended_at <= timezone.now():
        raise RuleViolation(
            "Cet épisode de soins est clôturé : ouvrez un nouvel épisode pour ce recueil (règle CONS-01).",
            code="CONS-01",
        )
