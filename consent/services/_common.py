"""Helpers shared by the consent services."""

from typing import Any

from django.db import models

from identity_registry.exceptions import InvalidInput


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
