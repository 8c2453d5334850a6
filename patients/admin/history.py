"""The history page of an identity: who changed what, when and why (RNIV AUD-01), read-only for everyone."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from identity_registry import glossary
from patients.birthplaces import birthplace_label
from patients.models import IdentityDocument, Patient
from patients.selectors import HistoryEntry, patient_history

# The selector already drops the technical columns; the public UUID tells an auditor nothing either.
HIDDEN_FIELDS = {"public_id"}
EMPTY = "—"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class TimelineEvent:
    when: datetime
    who: str
    subject: str
    reason_code: str
    reason_label: str
    reason_text: str
    changes: list[FieldChange] = field(default_factory=list)


def _show(model_field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.name == "birthplace_cog":
        return birthplace_label(str(value))  # TR-06: the place's name beside its code
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _reason(entry: HistoryEntry) -> tuple[str, str, str]:
    code = entry.reason_code or ""
    # Issue 12: the label of the code, never the code; a reason that only repeats the code is not shown.
    text = "" if entry.reason in {code, ""} else entry.reason
    return code, glossary.reason_labels().get(code, "Modification"), text


def _field_changes(entry: HistoryEntry, model: type[models.Model]) -> list[FieldChange]:
    return [
        FieldChange(
            _label(model, c.field),
            _show(model._meta.get_field(c.field), c.old),
            _show(model._meta.get_field(c.field), c.new),
        )
        for c in entry.changes
        if c.field not in HIDDEN_FIELDS
    ]


def patient_timeline(patient: Patient) -> list[TimelineEvent]:
    """Present the identity's history (selectors.patient_history) for the screen, newest first."""
    status_field = Patient._meta.get_field("status")
    events = []
    status_before = None
    for entry in reversed(patient_history(patient=patient)):
        model = Patient if entry.subject == "identity" else IdentityDocument
        changes = _field_changes(entry, model)
        if entry.subject == "identity":
            # The derived status is shown as a change of its own, so the auditor sees every transition.
            if entry.status != status_before:
                changes.append(
                    FieldChange(
                        _label(Patient, "status"), _show(status_field, status_before), _show(status_field, entry.status)
                    )
                )
            status_before = entry.status
        code, label, text = _reason(entry)
        events.append(
            TimelineEvent(
                when=entry.at,
                who=entry.actor or "Système",
                subject="Identité" if entry.subject == "identity" else "Justificatif",
                reason_code=code,
                reason_label=label,
                reason_text=text,
                changes=changes,
            )
        )
    events.reverse()
    return events
