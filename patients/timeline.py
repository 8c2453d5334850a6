"""The auditor's per-patient timeline (RNIV AUD-02): every event of one identity, in time order. Reads only.

The identity's own journals are gathered here; INSi, consents and DMP decisions come from the sources other
apps register in ``patients.extensions`` (patients imports neither ``insi`` nor ``consent``).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from patients.admin.history import patient_timeline
from patients.duplicates.models import DuplicateCandidate
from patients.extensions import timeline_sources
from patients.links import MergeRecord
from patients.models import Patient
from patients.records import PatientAccess

SYSTEM = "Système"

# The kinds the patients app yields itself; other apps add theirs through their sources.
KINDS = {
    "identity": "Modification de l'identité",
    "document": "Justificatif d'identité",
    "access": "Consultation",
    "duplicate": "Doublon",
    "merge": "Fusion ou défusion",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event: when, which kind, what happened (French), who and in which role, why."""

    at: datetime
    kind: str
    label: str
    actor: Any = None
    reason: str = ""
    details: str = ""
    patient_id: int | None = None


def timeline_kinds() -> dict[str, str]:
    """Every kind code with its French label, the other apps' included."""
    kinds = dict(KINDS)
    for source in timeline_sources():
        kinds.update(source.kinds)
    return kinds


def actor_name(user: Any) -> str:
    if user is None:
        return SYSTEM
    return user.get_full_name() or user.get_username()


def actor_role(user: Any) -> str:
    if user is None:
        return ""
    return ", ".join(sorted(group.name for group in user.groups.all()))


def absorbed_ids(patient: Patient) -> list[int]:
    """The identity and, transitively, every record merged into it (AUD-05: both histories are kept)."""
    ids, frontier = [patient.pk], [patient.pk]
    while frontier:
        frontier = list(
            Patient.objects.filter(merged_into_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def _history_entries(patient: Patient) -> list[TimelineEntry]:
    events = patient_timeline(patient)
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in={e.who for e in events})}
    return [
        TimelineEntry(
            at=event.when,
            kind="identity" if event.subject == "Identité" else "document",
            label=event.reason_label,
            actor=users.get(event.who),
            reason=event.reason_text,
            details=" ; ".join(f"{capfirst(c.label)} : {c.old} → {c.new}" for c in event.changes),
            patient_id=patient.pk,
        )
        for event in events
    ]


def _access_entries(ids: list[int]) -> list[TimelineEntry]:
    rows = PatientAccess.objects.filter(patient_id__in=ids).select_related("user")
    return [
        TimelineEntry(
            at=row.accessed_at,
            kind="access",
            label=f"{row.get_action_display()} ({row.get_channel_display()})",
            actor=row.user,
            patient_id=row.patient_id,
        )
        for row in rows
    ]


def _duplicate_entries(ids: list[int]) -> list[TimelineEntry]:
    pairs = DuplicateCandidate.history.filter(patient_low_id__in=ids) | DuplicateCandidate.history.filter(
        patient_high_id__in=ids
    )
    entries, seen = [], set()
    for row in pairs.select_related("history_user").order_by("history_date", "history_id"):
        key = (row.id, row.state)
        if key in seen:
            continue
        seen.add(key)
        state = DuplicateCandidate.State(row.state).label
        entries.append(
            TimelineEntry(
                at=row.history_date,
                kind="duplicate",
                label=f"{state} (score {row.score:.2f})",
                actor=row.history_user,
                reason=row.decision_reason,
                patient_id=row.patient_low_id if row.patient_low_id in ids else row.patient_high_id,
            )
        )
    return entries


def _merge_entries(ids: list[int]) -> list[TimelineEntry]:
    rows = MergeRecord.objects.filter(Q(survivor_id__in=ids) | Q(merged_id__in=ids)).select_related(
        "merged_by", "unmerged_by"
    )
    entries = []
    for row in rows:
        entries.append(
            TimelineEntry(
                row.merged_at,
                "merge",
                "Fusion de deux identités (AUD-05)",
                row.merged_by,
                row.reason,
                "",
                row.survivor_id,
            )
        )
        if row.unmerged_at:
            entries.append(
                TimelineEntry(
                    row.unmerged_at,
                    "merge",
                    "Défusion (AUD-05)",
                    row.unmerged_by,
                    row.unmerge_reason,
                    "",
                    row.survivor_id,
                )
            )
    return entries


def patient_full_timeline(
    *, patient: Patient, kinds: list[str] | None = None, start: date | None = None, end: date | None = None
) -> list[TimelineEntry]:
    """The identity's timeline, oldest first, its absorbed records' included; optionally filtered.

    ``start`` and ``end`` are local (Europe/Paris) days, both included.
    """
    ids = absorbed_ids(patient)
    entries: list[TimelineEntry] = []
    for pk in ids:
        entries.extend(_history_entries(Patient.objects.get(pk=pk)))
    entries += _access_entries(ids) + _duplicate_entries(ids) + _merge_entries(ids)
    for source in timeline_sources():
        entries.extend(source.entries(ids))
    if kinds:
        entries = [e for e in entries if e.kind in kinds]
    if start:
        entries = [e for e in entries if timezone.localtime(e.at).date() >= start]
    if end:
        entries = [e for e in entries if timezone.localtime(e.at).date() <= end]
    entries.sort(key=lambda e: e.at)
    return entries
