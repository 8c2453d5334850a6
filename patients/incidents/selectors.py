"""Reads of the incidents (RNIV AUD-04): who read a wrong identity, and which change made it wrong."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min

from identity_registry.local_time import local_datetime
from patients import reasons
from patients.incidents.models import Incident, IncidentAlert
from patients.models import Patient
from patients.records import PatientAccess
from patients.selectors import HISTORY_NOISE
from patients.timeline import absorbed_ids


@dataclass(frozen=True)
class Reader:
    """An account that read the identity in a window: when first and last, how often, and how (French labels)."""

    user: Any
    first_at: datetime
    last_at: datetime
    reads: int
    how: list[str]


def identity_readers(*, patient: Patient, since: datetime, until: datetime | None = None) -> list[Reader]:
    """Every account with an access-log row (AUD-03) for the identity, or a record merged into it, in the window.

    ``since`` is included: a read at the very instant of the faulty change may have seen it. One row per
    account, the earliest reader first.
    """
    rows = PatientAccess.objects.filter(patient_id__in=absorbed_ids(patient), accessed_at__gte=since)
    if until is not None:
        rows = rows.filter(accessed_at__lte=until)
    grouped = rows.values("user_id", "action", "channel").annotate(
        first=Min("accessed_at"), last=Max("accessed_at"), reads=Count("id")
    )
    per_user: dict[int, dict[str, Any]] = {}
    for row in grouped.order_by():
        how = f"{PatientAccess.Action(row['action']).label} ({PatientAccess.Channel(row['channel']).label})"
        seen = per_user.setdefault(row["user_id"], {"first": row["first"], "last": row["last"], "reads": 0, "how": []})
        seen["first"] = min(seen["first"], row["first"])
        seen["last"] = max(seen["last"], row["last"])
        seen["reads"] += row["reads"]
        seen["how"].append(how)
    users = get_user_model().objects.in_bulk(per_user)
    readers = [
        Reader(user=users[pk], first_at=s["first"], last_at=s["last"], reads=s["reads"], how=sorted(s["how"]))
        for pk, s in per_user.items()
    ]
    readers.sort(key=lambda r: (r.first_at, r.user.pk))
    return readers


def incident_readers(*, incident: Incident) -> list[Reader]:
    """Who read the identity between the faulty change and the incident's opening (then it was downgraded)."""
    return identity_readers(patient=incident.patient, since=incident.faulty_change_at, until=incident.opened_at)


def incident_alerts(*, incident: Incident) -> list[IncidentAlert]:
    return list(IncidentAlert.objects.filter(incident=incident).select_related("recipient").order_by("id"))


@dataclass(frozen=True)
class FaultyChangeChoice:
    """One version of the identity a referent may name as the faulty change: when, who, why, which fields."""

    history_id: int
    at: datetime
    label: str


def faulty_change_choices(*, patient: Patient) -> list[FaultyChangeChoice]:
    """The identity's historical records, newest first, each labelled without trait values (field names only)."""
    noise = HISTORY_NOISE["identity"]
    records = list(patient.history.select_related("history_user").order_by("history_date", "history_id"))
    choices, previous = [], None
    for record in records:
        if previous is None:
            fields = ["création"]
        else:
            delta = record.diff_against(previous, excluded_fields=noise)
            fields = [str(Patient._meta.get_field(c.field).verbose_name) for c in delta.changes]
            if record.status != previous.status:
                fields.append("statut")
        who = record.history_user.get_username() if record.history_user else "Système"
        why = reasons.LABELS.get(record.history_reason_code, record.history_reason_code or "Modification")
        label = f"{local_datetime(record.history_date)} · {who} · {why} · {', '.join(fields) or '—'}"
        choices.append(FaultyChangeChoice(record.history_id, record.history_date, label))
        previous = record
    choices.reverse()
    return choices
