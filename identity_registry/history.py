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
from identity_registry.inputs import HISTORY_REASON_MAX_LENGTH
from identity_registry.local_time import local_datetime


class AuditedHistory(AppendOnlyRecord):
    """Abstract base of every historical model: adds the reason code of the change.

    Deriving from ``AppendOnlyRecord`` puts the AUD-01 triggers on every history table, present and future.
    """

    history_reason_code = models.CharField("code motif", max_length=40, blank=True, default="")

    class Meta:
        abstract = True


def _version_label(record: Any) -> str:
    # simple-history's own label reads "<object> as of <UTC instant>": in French, at the Paris time.
    return f"{record.history_object} · version du {local_datetime(record.history_date)}"


class AuditedHistoricalRecords(HistoricalRecords):
    """simple-history's records, with historical rows named in French and in local time."""

    def get_extra_fields(self, model: type[models.Model], fields: Any) -> dict[str, Any]:
        return {**super().get_extra_fields(model, fields), "__str__": _version_label}


def audited_history(**options: Any) -> HistoricalRecords:
    """History of an audited model: user, reason code, and the justification, kept whole (AUD-01)."""
    # Issue 8 item 5: bounded like every input that reaches it (the longest is a justification).
    reason_field = models.CharField(max_length=HISTORY_REASON_MAX_LENGTH, null=True)
    return AuditedHistoricalRecords(bases=[AuditedHistory], history_change_reason_field=reason_field, **options)


def stamp_history(instance: models.Model, *, actor: Any, reason_code: str, reason: str = "") -> None:
    """Attach who and why to the next history row written for ``instance``."""
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._history_reason_code = reason_code
    instance._change_reason = reason or reason_code


@receiver(pre_create_historical_record)
def _copy_reason_code(sender, instance, history_instance, **kwargs) -> None:
    if hasattr(history_instance, "history_reason_code"):
        history_instance.history_reason_code = getattr(instance, "_history_reason_code", "") or ""
