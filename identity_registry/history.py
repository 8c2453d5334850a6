"""History plumbing shared by every audited model (RNIV AUD-01).

Each historical row carries the acting user (simple-history's ``history_user``), a reason code and the
free-text justification (``history_change_reason``). Services stamp the instance before saving it.
"""

from typing import Any

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from identity_registry.append_only import AppendOnlyRecord


class AuditedHistory(AppendOnlyRecord):
    """Abstract base of every historical model: adds the reason code of the change.

    Deriving from ``AppendOnlyRecord`` puts the AUD-01 triggers on every history table, present and future.
    """

    history_reason_code = models.CharField("code motif", max_length=40, blank=True, default="")

    class Meta:
        abstract = True


def audited_history(**options: Any) -> HistoricalRecords:
    """History of an audited model: user, reason code, and a justification of any length (AUD-01)."""
    return HistoricalRecords(bases=[AuditedHistory], history_change_reason_field=models.TextField(null=True), **options)


def stamp_history(instance: models.Model, *, actor: Any, reason_code: str, reason: str = "") -> None:
    """Attach who and why to the next history row written for ``instance``."""
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._history_reason_code = reason_code
    instance._change_reason = reason or reason_code


@receiver(pre_create_historical_record)
def _copy_reason_code(sender, instance, history_instance, **kwargs) -> None:
    if hasattr(history_instance, "history_reason_code"):
        history_instance.history_reason_code = getattr(instance, "_history_reason_code", "") or ""
