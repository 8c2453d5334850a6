"""The events feed: what changed on which identity, in commit order, for downstream systems.

Each event gets its position (``seq``) from one counter row bumped inside the writing transaction. The
bump locks that row until commit, so a later position is never committed before an earlier one: a
consumer reading ``seq > cursor`` sees a gap-free prefix and never misses an event that commits late
(a plain auto-increment id can commit out of order on PostgreSQL). Services emit at the end of their
work, just before commit, so the lock is held briefly. On SQLite every writer is serialised anyway.

Imported at the end of ``patients/models.py`` so Django registers the model with the patients app.
"""

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

from identity_registry.append_only import AppendOnlyRecord
from patients.counters import Counter, bump_counter

COUNTER = "events"


class EventKind(models.TextChoices):
    CREATED = "created", "Création"
    TRAITS = "traits", "Traits modifiés"
    STATUS = "status", "Statut modifié"
    ATTRIBUTES = "attributes", "Attributs modifiés"
    INS = "ins", "INS récupérée, vérifiée ou retirée"
    DOCUMENT = "document", "Validation par justificatif posée ou retirée"
    IDENTIFIERS = "identifiers", "Identifiants externes modifiés"
    MERGED = "merged", "Fusionnée dans une autre identité"
    ABSORBED = "absorbed", "A absorbé une identité fusionnée"
    UNMERGED = "unmerged", "Défusionnée"
    RELEASED = "released", "Une identité absorbée a été défusionnée"
    # RNIV AUD-04: an incident declared the identity wrong, or was closed.
    INCIDENT_OPENED = "incident_opened", "Incident d'identité ouvert"
    INCIDENT_CLOSED = "incident_closed", "Incident d'identité clôturé"


class PatientEvent(AppendOnlyRecord):
    """One committed change of an identity: its ids and the kinds of change, never the traits."""

    seq = models.BigIntegerField("position", unique=True, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="events")
    patient_public_id = models.UUIDField("identifiant public")
    ipp = models.CharField("IPP", max_length=20)
    kinds = models.JSONField("natures du changement", default=list)
    # The other identity of a merge or an unmerge.
    related_public_id = models.UUIDField("identité liée", null=True, blank=True)
    related_ipp = models.CharField("IPP lié", max_length=20, blank=True)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "événement d'identité"
        verbose_name_plural = "flux des événements d'identité"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {','.join(self.kinds)}"


# Which stored field tells which kind of change (the field names, never their values, leave the registry).
FIELD_KINDS = {
    **dict.fromkeys(
        (
            "birth_name",
            "first_name",
            "first_names",
            "sex",
            "birth_date",
            "birth_day_estimated",
            "birth_month_estimated",
            "birth_year_estimated",
            "birthplace_cog",
            "used_name",
            "used_first_name",
            "address",
            "phone",
            "email",
            "to_regularise",
            "collection_method",
        ),
        EventKind.TRAITS,
    ),
    "status": EventKind.STATUS,
    **dict.fromkeys(("doubtful", "fictitious", "homonym_detected", "homonym_confirmed"), EventKind.ATTRIBUTES),
    **dict.fromkeys(("ins_matricule", "ins_oid", "ins_verified", "ins_verified_at"), EventKind.INS),
    **dict.fromkeys(("document_checked", "document_checked_at"), EventKind.DOCUMENT),
}


def remember_loaded(patient: Any) -> None:
    """Keep the values the row had when locked, so the save can tell which kinds of change it makes."""
    patient._loaded_values = {name: getattr(patient, name) for name in FIELD_KINDS}


def changed_kinds(patient: Any) -> list[str]:
    """The kinds of change between the locked row and the instance about to be saved."""
    loaded = getattr(patient, "_loaded_values", None)
    if loaded is None:
        return [EventKind.CREATED.value]
    kinds = {FIELD_KINDS[name].value for name, old in loaded.items() if getattr(patient, name) != old}
    return sorted(kinds)


_held = threading.local()


@contextmanager
def events_held() -> Iterator[list[PatientEvent]]:
    """Keep, in order, the events emitted in the block; the caller writes them with ``write_held_events``.

    Issue 10: an idempotent creation writes its event and its idempotency record in one last statement.
    """
    held: list[PatientEvent] = []
    _held.events = held
    try:
        yield held
    finally:
        _held.events = None


def write_held_events(events: list[PatientEvent], *, companion: tuple[str, list] | None = None) -> int | None:
    """Write held events in their order; the last statement also runs ``companion`` (PostgreSQL).

    ``companion`` is a data-modifying statement with a RETURNING clause, run as a CTE of the last event's
    statement; its number of returned rows comes back. None when it could not ride along (no event, another
    database, no counter row): the caller then runs it itself.
    """
    returned = None
    for index, event in enumerate(events):
        rides = companion if index == len(events) - 1 else None
        written = False
        if connection.vendor == "postgresql":
            written, count = _insert_with_bump(event, rides)
            if rides is not None:
                returned = count
        if not written:
            event.seq = bump_counter(COUNTER)
            event.save()
    return returned


def emit_patient_event(patient: Any, kinds: Iterable[str], *, related: Any = None) -> PatientEvent | None:
    """Append an event for ``patient`` (call inside the writing transaction, after the last row lock)."""
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        return None
    event = PatientEvent(
        patient=patient,
        patient_public_id=patient.public_id,
        ipp=patient.ipp,
        kinds=kinds,
        related_public_id=related.public_id if related is not None else None,
        related_ipp=related.ipp if related is not None else "",
        recorded_at=timezone.now(),
    )
    held = getattr(_held, "events", None)
    if held is not None:
        held.append(event)
        return event
    if connection.vendor == "postgresql" and _insert_with_bump(event)[0]:
        return event
    event.seq = bump_counter(COUNTER)
    event.save()
    return event


def _insert_with_bump(event: PatientEvent, companion: tuple[str, list] | None = None) -> tuple[bool, int | None]:
    """Bump the counter and insert the event in one statement (issue 10); False if the counter row is missing.

    With ``companion`` (SQL and parameters of a statement with RETURNING), it runs in the same statement and
    the number of rows it returned comes second.
    """
    columns = ("patient_id", "patient_public_id", "ipp", "kinds", "related_public_id", "related_ipp", "recorded_at")
    bump = f"WITH bumped AS (UPDATE {Counter._meta.db_table} SET value = value + 1 WHERE name = %s RETURNING value)"  # noqa: S608 - constant names
    insert = (
        f"INSERT INTO {PatientEvent._meta.db_table} (seq, {', '.join(columns)}) "  # noqa: S608 - constant names
        "SELECT value, %s, %s, %s, %s::jsonb, %s, %s, %s FROM bumped RETURNING id, seq"
    )
    params = [
        COUNTER,
        event.patient.pk,
        event.patient_public_id,
        event.ipp,
        json.dumps(event.kinds),
        event.related_public_id,
        event.related_ipp,
        event.recorded_at,
    ]
    if companion is None:
        sql = f"{bump} {insert}"
    else:
        sql = (
            f"{bump}, event AS ({insert}), companion AS ({companion[0]}) "  # noqa: S608 - constant SQL, values as parameters
            "SELECT event.id, event.seq, (SELECT count(*) FROM companion) FROM (SELECT 1) one LEFT JOIN event ON true"
        )
        params += companion[1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    returned = row[2] if row is not None and companion is not None else None
    if row is None or row[0] is None:
        return False, returned
    event.pk, event.seq = row[0], row[1]
    event._state.adding = False
    event._state.db = "default"
    return True, returned


def events_after(*, after: int, limit: int) -> list[PatientEvent]:
    """The events whose position is after the consumer's cursor, oldest first."""
    return list(PatientEvent.objects.filter(seq__gt=after).order_by("seq")[:limit])
