"""PostgreSQL fast path of an import batch: COPY into the identity, history, identifier and event tables.

The rows are exactly those ``bulk_create_with_history`` would write (same columns, defaults, history user,
reason and reason code), built as tuples: at 5,000 identities a second, building model instances and
binding parameters would cost more than the database's own work. Primary keys come from the tables' own
sequences first, so the history rows can name the rows they copy.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Model

from patients.counters import bump_counter
from patients.events import COUNTER as EVENTS
from patients.events import PatientEvent
from patients.links import ExternalIdentifier
from patients.models import Patient


def _ids(model: type[Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _columns(model: type[Model], *, with_pk: bool = True) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def _copy_records(model: type[Model], records: list[dict[str, Any]], *, with_pk: bool = True) -> None:
    """COPY the table's columns of each record (a missing column is a KeyError, never a silent NULL)."""
    names = _columns(model, with_pk=with_pk)
    _copy(model, names, map(itemgetter(*names), records))


def _history_from(model: type[Model], ids: list[int], meta: dict[str, Any]) -> None:
    """Write the creation history row of each new row of ``model`` by copying it in the database.

    The same values ``bulk_create_with_history`` would send, without formatting them twice on the client.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    names = _columns(history, with_pk=False)
    columns = [quote(history._meta.get_field(name).column) for name in names]
    values = ["%s" if name in meta else column for name, column in zip(names, columns, strict=True)]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - the models' names
        f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} WHERE id = ANY(%s) ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(meta[name] for name in names if name in meta), ids])


def copy_batch(
    *,
    patients: list[dict[str, Any]],
    legacy_ids: list[str],
    authority_id: int,
    user_id: int | None,
    reason: str,
    patient_code: str,
    identifier_code: str,
    kinds: list[str],
    now: datetime,
) -> list[int]:
    """Write the batch; ``patients`` are complete rows (every concrete field but id). Return the new ids."""
    ids = _ids(Patient, len(patients))
    for row, pk in zip(patients, ids, strict=True):
        row["created_at"] = row["updated_at"] = now
        row["id"] = pk
    _copy_records(Patient, patients)
    meta = {"history_date": now, "history_type": "+", "history_user_id": user_id, "history_change_reason": reason}
    _history_from(Patient, ids, {**meta, "history_reason_code": patient_code})
    identifier_ids = _ids(ExternalIdentifier, len(ids))
    _copy(
        ExternalIdentifier,
        ("id", "patient_id", "authority_id", "value", "in_force", "added_at"),
        (
            (pk, patient, authority_id, value, True, now)
            for pk, patient, value in zip(identifier_ids, ids, legacy_ids, strict=True)
        ),
    )
    _history_from(ExternalIdentifier, identifier_ids, {**meta, "history_reason_code": identifier_code})
    # The feed's counter is bumped last: its row lock is then held only until the batch commits. Events
    # follow the batch's order, which is the ids' order.
    first_seq = bump_counter(EVENTS, by=len(ids)) - len(ids) + 1
    events, patients_table = PatientEvent._meta.db_table, Patient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (seq, patient_id, patient_public_id, ipp, kinds, related_public_id, related_ipp, "  # noqa: S608
            "recorded_at) SELECT %s + row_number() OVER (ORDER BY id), id, public_id, ipp, %s::jsonb, NULL, '', %s "
            f"FROM {patients_table} WHERE id = ANY(%s) ORDER BY id",
            [first_seq - 1, json.dumps(kinds), now, ids],
        )
    return ids


def patient_defaults() -> dict[str, Any]:
    defaults = {}
    for f in Patient._meta.concrete_fields:
        if f.primary_key:
            continue
        value = f.get_default()
        defaults[f.attname] = str(value) if isinstance(value, str) else value
    return defaults
