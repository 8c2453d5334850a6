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

WRITE_LABEL = "Modification de l'identité"


@dataclass(frozen=True)
class Reader:
    """An account that read or wrote the identity in a window: first and last time, how often, how (French)."""

    user: Any
    first_at: datetime
    last_at: datetime
    reads: int
    how: list[str]


def identity_readers(*, patient: Patient, since: datetime, until: datetime | None = None) -> list[Reader]:
    """Every account that read or received the identity, or a record merged into it, in the window.

    Reads are the access-log rows (AUD-03: screen, API, search results, exports); ``since`` is included, a read
    at the very instant of the faulty change may have seen it. Writes after the faulty change count too (the
    writer got the identity back, on screen or in the API's answer); the faulty change itself does not: its
    author made it, and is listed only for what they did after. One row per account, the earliest first.
    """
    ids = absorbed_ids(patient)
    rows = PatientAccess.objects.filter(patient_id__in=ids, accessed_at__gte=since)
    writes = Patient.history.model.objects.filter(id__in=ids, history_date__gt=since, history_user__isnull=False)
    if until is not None:
        rows = rows.filter(accessed_at__lte=until)
        writes = writes.filter(history_date__lte=until)
    grouped = rows.values("user_id", "action", "channel").annotate(
        first=Min("accessed_at"), last=Max("accessed_at"), reads=Count("id")
    )
    per_user: dict[int, dict[str, Any]] = {}

    def seen(user_id: int, first: datetime, last: datetime, count: int, how: str) -> None:
        entry = per_user.setdefault(user_id, {"first": first, "last": last, "reads": 0, "how": []})
        entry["first"] = min(entry["first"], first)
        entry["last"] = max(entry["last"], last)
        entry["reads"] += count
        entry["how"].append(how)

    for row in grouped.order_by():
        how = f"{PatientAccess.Action(row['action']).label} ({PatientAccess.Channel(row['channel']).label})"
        seen(row["user_id"], row["first"], row["last"], row["reads"], how)
    written = writes.values("history_user_id").annotate(
        first=Min("history_date"), last=Max("history_date"), count=Count("history_id")
    )
    for row in written.order_by():
        seen(row["history_user_id"], row["first"], row["last"], row["count"], WRITE_LABEL)
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
