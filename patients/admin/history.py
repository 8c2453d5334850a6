"""The history page of an identity: who changed what, when and why (RNIV AUD-01), read-only for everyone."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from patients import reasons
from patients.models import IdentityDocument, Patient

# Technical columns: they change on every write and tell an auditor nothing.
HIDDEN_FIELDS = {"id", "public_id", "version", "created_at", "updated_at", "birth_name_key", "used_name_key"}
HIDDEN_FIELDS |= {"first_names_key"}
DOCUMENT_FIELDS = ("document_type", "issuing_country", "is_copy", "context", "expires_on", "can_validate", "rule")
DOCUMENT_FIELDS += ("refusal_reason",)
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
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    return str(value)


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return "Système"
    return user.get_full_name() or user.get_username()


def _reason(record: Any) -> tuple[str, str, str]:
    code = record.history_reason_code or ""
    text = record.history_change_reason or ""
    # stamp_history() stores the code as the text when no justification was typed: do not show it twice.
    if text == code:
        text = ""
    return code, reasons.LABELS.get(code, code or "Modification"), text


def _changes(model: type[models.Model], names: list[str], new: Any, old: Any | None) -> list[FieldChange]:
    fields = [model._meta.get_field(name) for name in names]
    if old is None:
        # Creation: every value filled in (unset flags omitted), shown as "— → value".
        return [
            FieldChange(str(f.verbose_name), EMPTY, _show(f, getattr(new, f.attname)))
            for f in fields
            if getattr(new, f.attname) not in (None, "", False)
        ]
    editable = [f.name for f in fields if f.editable]
    changed = {c.field: (c.old, c.new) for c in new.diff_against(old, included_fields=editable).changes}
    # simple-history diffs editable fields only; the derived status (editable=False) is compared here.
    for f in fields:
        if not f.editable and getattr(old, f.attname) != getattr(new, f.attname):
            changed[f.name] = (getattr(old, f.attname), getattr(new, f.attname))
    return [
        FieldChange(str(f.verbose_name), _show(f, changed[f.name][0]), _show(f, changed[f.name][1]))
        for f in fields
        if f.name in changed
    ]


def _patient_fields() -> list[str]:
    return [f.name for f in Patient._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def patient_timeline(patient: Patient) -> list[TimelineEvent]:
    """Return the identity's changes and its document checks, newest first."""
    names = _patient_fields()
    events = []
    previous = None
    for record in patient.history.select_related("history_user").order_by("history_date", "history_id"):
        code, label, text = _reason(record)
        events.append(
            TimelineEvent(
                when=record.history_date,
                who=_who(record),
                subject="Identité",
                reason_code=code,
                reason_label=label,
                reason_text=text,
                changes=_changes(Patient, names, record, previous),
            )
        )
        previous = record
    documents = IdentityDocument.history.filter(patient_id=patient.pk, history_type="+").select_related("history_user")
    for record in documents:
        code, label, text = _reason(record)
        events.append(
            TimelineEvent(
                when=record.history_date,
                who=_who(record),
                subject="Justificatif",
                reason_code=code,
                reason_label=label,
                reason_text=text,
                changes=_changes(IdentityDocument, list(DOCUMENT_FIELDS), record, None),
            )
        )
    events.sort(key=lambda event: event.when, reverse=True)
    return events
