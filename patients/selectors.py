"""Selectors that read identities (RNIV TR-05 search, TR-08/TR-09 work lists)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from patients import lookup
from patients.inline_identifiers import with_identifiers
from patients.models import IdentityDocument, Patient
from patients.traits import SANSNOM, SANSPRENOM, search_key

MATRICULE_CHARS = set("0123456789AB")


def looks_like_ins(text: str) -> str | None:
    """Return the matricule typed in a search box, if the text is one (15 characters, spaces allowed)."""
    compact = "".join((text or "").split()).upper()
    if len(compact) == 15 and set(compact) <= MATRICULE_CHARS:
        return compact
    return None


def patient_list(*, include_inactive: bool = False) -> QuerySet[Patient]:
    qs = Patient.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def patient_get(public_id: object, *, active_only: bool) -> Patient | None:
    """The identity with this public UUID, or None (a malformed UUID finds nobody).

    ``active_only`` leaves out deactivated identities: they may still be read, never acted upon.
    """
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    alias = router.db_for_read(Patient)
    statement = _by_public_id_statement(alias, active_only) if connections[alias].vendor == "postgresql" else None
    if statement is None:
        found = list(_by_public_id(key, active_only).using(alias))
        return found[0] if found else None
    # Issue 10: the statement is compiled once per process; only the UUID changes from one read to the next.
    sql, template, key_index, fields, annotations = statement
    params = list(template)
    params[key_index] = key
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    patient = Patient.from_db(alias, fields, row[: len(fields)])
    for name, index in annotations:
        setattr(patient, name, row[index])
    return patient


def _by_public_id(key: uuid.UUID, active_only: bool) -> QuerySet[Patient]:
    qs = patient_list(include_inactive=not active_only)
    # Issue 10: one query, the identifiers of other systems included (the API shows them); unique, so unordered.
    return with_identifiers(qs.filter(public_id=key)).order_by()[:1]


@cache
def _by_public_id_statement(alias: str, active_only: bool) -> tuple[str, tuple, int, list[str], list] | None:
    """The SQL of ``_by_public_id`` with where its UUID goes, or None when rows need Python conversions."""
    compiler = _by_public_id(uuid.UUID(int=0), active_only).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    columns = [expression for expression, _, _ in compiler.select]
    model_columns = compiler.klass_info["select_fields"]
    if compiler.get_converters(columns) or model_columns != list(range(len(model_columns))):
        return None
    fields = [columns[i].target.attname for i in model_columns]
    if fields != [f.attname for f in Patient._meta.concrete_fields]:
        return None  # from_db needs every concrete field, in order
    annotations = list(compiler.annotation_col_map.items())
    return sql, tuple(params), list(params).index(uuid.UUID(int=0)), fields, annotations


def patient_by_ins(*, matricule: str) -> QuerySet[Patient]:
    """Find identities by matricule INS (any OID); several results are a duplicate to resolve (ST-11)."""
    compact = "".join((matricule or "").split()).upper()
    return patient_list().filter(ins_matricule=compact)


def patient_search(
    *,
    name: str = "",
    first_name: str = "",
    birth_date: date | None = None,
    ins: str = "",
    status: str = "",
    include_inactive: bool = False,
    ipp: str = "",
    identifier: str = "",
    authority: str = "",
) -> QuerySet[Patient]:
    """Search by INS, or by birth or used name, first name and birth date (RNIV TR-05).

    Case, diacritics, hyphens, apostrophes and spaces are ignored through the stored search keys. A name
    matches a key that equals it or starts with it (issue 10: the btree pattern indexes of migration 0018
    serve both, with the birth date); ``patient_ranked`` puts the exact ones first. The free text of the
    search box is ``patients.search.selectors.patient_tolerant_search``, the one search box of the screens
    and the API. Several results are a result, never an error.
    """
    qs = patient_list(include_inactive=include_inactive)
    if ins:
        qs = qs.filter(ins_matricule="".join(ins.split()).upper())
    if ipp.strip():
        qs = qs & lookup.patient_by_ipp(ipp=ipp)
    if identifier.strip():
        qs = qs & lookup.patients_by_identifier(value=identifier, authority=authority)
    name_key = search_key(name)
    if name_key:
        qs = qs.filter(Q(birth_name_key__startswith=name_key) | Q(used_name_key__startswith=name_key))
    first_key = search_key(first_name)
    if first_key:
        qs = qs.filter(first_names_key__contains=first_key)
    if birth_date:
        qs = qs.filter(birth_date=birth_date)
    if status:
        qs = qs.filter(status=status)
    return qs


# Relevance classes, far apart so that (class, id) is one integer: a cursor position that holds no trait.
RANK_STEP = 1 << 40


def _pattern_range(key: str) -> tuple[str, str]:
    """The bounds of the keys starting with ``key``, in the byte order of the pattern operators."""
    return key, key[:-1] + chr(ord(key[-1]) + 1)


def patient_ranked_page_ids(
    *, name: str, first_name: str = "", position: int | None, reverse: bool, count: int
) -> RawSQL:
    """The ids of one page of ``patient_ranked``, read from the btree indexes alone (issue 10, PostgreSQL).

    A prefix of four letters matches thousands of identities at a million; ranking them from the table
    would read a heap page for each. The keys are INCLUDEd in the name indexes (migration 0023), so the
    ranks are computed by index-only scans (birth name, then used name for the rest) and only ``count``
    ids leave: the page's rows are then read by id. ``position`` and ``reverse`` are the cursor's.
    """
    name_key, first_key = search_key(name), search_key(first_name)
    low, high = _pattern_range(name_key)
    anchor = "SELECT id, birth_name_key AS b, used_name_key AS u, first_names_key AS f FROM patients_patient"
    birth = "birth_name_key ~>=~ %s AND birth_name_key ~<~ %s"
    used = "used_name_key ~>=~ %s AND used_name_key ~<~ %s"
    ranges: list[Any] = [low, high, low, high, low, high]
    name_exact = "(b = %s OR u = %s)"
    if first_key:
        first_exact = "(f = %s OR f LIKE %s)"
        rank = (
            f"CASE WHEN {name_exact} AND {first_exact} THEN id WHEN {name_exact} THEN id + {RANK_STEP}"
            f" WHEN {first_exact} THEN id + {2 * RANK_STEP} ELSE id + {3 * RANK_STEP} END"
        )
        params: list[Any] = [name_key, name_key, first_key, f"{first_key}|%"] * 2 + ranges
        where = ["strpos(f, %s) > 0"]
        params.append(first_key)
    else:
        rank = f"CASE WHEN {name_exact} THEN id + {RANK_STEP} ELSE id + {3 * RANK_STEP} END"
        params = [name_key, name_key, *ranges]
        where = []
    if position is not None:
        where.append("search_rank < %s" if reverse else "search_rank > %s")
        params.append(position)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    # Only constant fragments are formatted in; every typed value is a bound parameter.
    sql = (
        f"SELECT id FROM (SELECT id, f, {rank} AS search_rank FROM ("  # noqa: S608
        f"{anchor} WHERE is_active AND {birth} UNION ALL {anchor} WHERE is_active AND {used} AND NOT ({birth})"
        f") AS named) AS ranked {condition} ORDER BY search_rank {'DESC' if reverse else 'ASC'} LIMIT {int(count)}"
    )
    return RawSQL(sql, params)  # noqa: S611


def patient_ranked(queryset: QuerySet[Patient], *, name: str, first_name: str = "") -> QuerySet[Patient]:
    """Annotate ``search_rank``: the exact name before a longer one, the exact first name first (issue 10).

    Classes: 0 name and first name exact, 1 name exact, 2 name a prefix and first name exact, 3 the rest;
    the id breaks ties, so the rank is unique and stable for cursor pages.
    """
    name_key, first_key = search_key(name), search_key(first_name)
    name_exact = Q(birth_name_key=name_key) | Q(used_name_key=name_key)
    first_exact = (Q(first_names_key=first_key) | Q(first_names_key__startswith=f"{first_key}|")) if first_key else Q()
    levels = [name_exact & first_exact, name_exact, first_exact] if first_key else [name_exact]
    steps = [0, 1, 2] if first_key else [1]
    whens = [When(level, then=F("id") + Value(step * RANK_STEP)) for level, step in zip(levels, steps, strict=True)]
    default = F("id") + Value(3 * RANK_STEP)
    return queryset.annotate(search_rank=Case(*whens, default=default, output_field=BigIntegerField()))


def patients_to_complete() -> QuerySet[Patient]:
    """Identities recorded with SANSNOM or SANSPRENOM, to complete when possible (RNIV TR-08)."""
    return patient_list().filter(Q(birth_name=SANSNOM) | Q(first_name=SANSPRENOM))


def patients_to_regularise() -> QuerySet[Patient]:
    """Identities whose birth name is provisionally the used name (RNIV TR-09)."""
    return patient_list().filter(to_regularise=True)


# Fields that change on every write, or repeat the row's own who/when, and say nothing to a reader.
HISTORY_NOISE = {
    "identity": ("id", "version", "created_at", "updated_at", "status"),
    "document": ("id", "patient", "checked_by", "checked_at"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an identity or of one of its documents: who, when, why, fields before/after (AUD-01)."""

    subject: str
    at: datetime
    actor: str | None
    change_type: str
    reason_code: str
    reason: str
    version: int | None
    status: str | None
    changes: list[FieldChange]


def _entries(records: list[Any], subject: str) -> list[HistoryEntry]:
    """Diff each historical row against the previous row of the same object."""
    noise = HISTORY_NOISE[subject]
    # A document's False matters (can_validate); an identity's many False flags would only be clutter.
    empty = (None, "") if subject == "document" else (None, "", False)
    previous_by_object: dict[int, Any] = {}
    entries = []
    for record in records:
        previous = previous_by_object.get(record.id)
        if previous is None:
            tracked = [f.name for f in record.instance_type._meta.fields if f.name not in noise]
            changes = [
                FieldChange(name, None, getattr(record, name))
                for name in tracked
                if hasattr(record, name) and getattr(record, name) not in empty
            ]
        else:
            delta = record.diff_against(previous, excluded_fields=noise)
            changes = [FieldChange(c.field, c.old, c.new) for c in delta.changes]
        reason = record.history_change_reason or ""
        entries.append(
            HistoryEntry(
                subject=subject,
                at=record.history_date,
                actor=record.history_user.get_username() if record.history_user else None,
                change_type=record.history_type,
                reason_code=record.history_reason_code,
                # stamp_history stores the code as the reason when no text was given: don't repeat it.
                reason="" if reason == record.history_reason_code else reason,
                version=getattr(record, "version", None) if subject == "identity" else None,
                status=record.status if subject == "identity" else None,
                changes=changes,
            )
        )
        previous_by_object[record.id] = record
    return entries


def patient_history(*, patient: Patient) -> list[HistoryEntry]:
    """Return the identity's timeline, newest first: its own changes and its documents' (AUD-01)."""
    order = ("history_date", "history_id")
    identity = patient.history.select_related("history_user").order_by(*order)
    documents = IdentityDocument.history.filter(patient_id=patient.pk).select_related("history_user").order_by(*order)
    entries = _entries(list(identity), "identity") + _entries(list(documents), "document")
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries
