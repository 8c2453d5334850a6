"""Read side of duplicate detection: blocking in the database, scoring in code (RNIV ST-11, AUD-05).

Blocking keeps the rows that share the birth date, or the same date with day and month swapped, or the
matricule INS. At 1M identities over a century of birth dates that is about 30 to 60 rows, scored in
Python by the pure ``scoring`` module; the (birth_date) index makes the query sub-millisecond on both
PostgreSQL and SQLite.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.scoring import LOW, MatchScore, Traits, score_pair, swapped
from patients.models import Patient

# The strict traits (RNIV TR-01); a change of one of them reopens a "not a duplicate" decision.
FINGERPRINT_FIELDS = (
    "birth_name",
    "first_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_day_estimated",
    "birth_month_estimated",
    "birth_year_estimated",
    "birthplace_cog",
)


# What the duplicate check compares (``traits_of``) and fingerprints.
COMPARED_FIELDS = (*FINGERPRINT_FIELDS, "used_name", "ins_matricule")


@dataclass(frozen=True)
class Candidate:
    """An existing identity that may be the same person as the one being checked."""

    patient: Patient
    match: MatchScore
    pair: DuplicateCandidate | None = None


def traits_of(source: Any) -> Traits:
    """The compared traits of a patient, or of any object or dict carrying the same field names."""
    get = source.get if isinstance(source, dict) else lambda name, default=None: getattr(source, name, default)
    first_names = get("first_names", "") or get("first_name", "") or ""
    return Traits(
        birth_name=get("birth_name", "") or "",
        first_names=first_names,
        sex=get("sex", "") or "",
        birth_date=get("birth_date"),
        birthplace_cog=get("birthplace_cog", "") or "",
        used_name=get("used_name", "") or "",
        ins=get("ins_matricule", "") or "",
    )


def strict_values(source: Any) -> tuple:
    get = source.get if isinstance(source, dict) else lambda name, default=None: getattr(source, name, default)
    return tuple(str(get(name, "")) for name in FINGERPRINT_FIELDS)


def pair_fingerprint(low: Any, high: Any) -> str:
    """Hash of both sides' strict traits, lower id first (the sticky "not a duplicate" rule)."""
    text = repr((strict_values(low), strict_values(high)))
    return hashlib.sha256(text.encode()).hexdigest()


def blocking_queryset(traits: Traits, *, exclude_pk: int | None = None) -> QuerySet[Patient]:
    """Active identities born the same day, or with day and month swapped, or carrying the same INS."""
    dates = [d for d in (traits.birth_date, swapped(traits.birth_date)) if d]
    block = Q(birth_date__in=dates)
    if traits.ins:
        block |= Q(ins_matricule=traits.ins)
    qs = Patient.objects.filter(block, is_active=True)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def identity_values(patient: Patient, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The traits an identity would have after ``changes``: what the duplicate check compares."""
    return {**{name: getattr(patient, name) for name in COMPARED_FIELDS}, **(changes or {})}


def duplicate_candidates(*, values: dict[str, Any], exclude: Patient | None = None, limit: int = 10) -> list[Candidate]:
    """Score the block against the traits in ``values``; best first, only possible or probable duplicates.

    ``exclude`` is the identity being changed (``values`` are its proposed traits): its pairs decided
    "not a duplicate" are left out while neither side's strict traits differ from the decision's.
    """
    traits = traits_of(values)
    if traits.birth_date is None:
        return []
    # The block's compared traits only (issue 10: at 1M identities a block is 30 to 60 rows, and building a
    # model instance of each cost more than scoring it); the few that match are then read whole.
    block = blocking_queryset(traits, exclude_pk=exclude.pk if exclude else None).values("pk", *COMPARED_FIELDS)
    matches = [(row["pk"], match) for row in block if (match := score_pair(traits, traits_of(row))).score >= LOW]
    if not matches:
        return []
    found = Patient.objects.in_bulk([pk for pk, _ in matches])
    scored = [(found[pk], match) for pk, match in matches if pk in found]
    pairs = _pairs_of(exclude.pk, [other.pk for other, _ in scored]) if exclude is not None else {}
    candidates = []
    for other, match in scored:
        pair = pairs.get(other.pk)
        if pair is not None and _decision_stands(pair, exclude, values, other):
            continue
        candidates.append(Candidate(other, match, pair))
    candidates.sort(key=lambda c: (-c.match.score, c.patient.pk))
    return candidates[:limit]


def _pairs_of(pk: int, others: list[int]) -> dict[int, DuplicateCandidate]:
    qs = DuplicateCandidate.objects.filter(
        Q(patient_low_id=pk, patient_high_id__in=others) | Q(patient_high_id=pk, patient_low_id__in=others)
    )
    return {pair.patient_high_id if pair.patient_low_id == pk else pair.patient_low_id: pair for pair in qs}


def _decision_stands(pair: DuplicateCandidate, patient: Patient, values: dict[str, Any], other: Patient) -> bool:
    if pair.state == DuplicateCandidate.State.CONFIRMED:
        return True
    if pair.state != DuplicateCandidate.State.NOT_DUPLICATE:
        return False
    low, high = (values, other) if patient.pk < other.pk else (other, values)
    return pair.fingerprint == pair_fingerprint(low, high)


def duplicate_worklist(*, state: str | None = DuplicateCandidate.State.SUSPECTED) -> QuerySet[DuplicateCandidate]:
    """The referent's worklist: best score first, postponed pairs after the others."""
    qs = DuplicateCandidate.objects.select_related("patient_low", "patient_high")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("postponed_at", "-score", "id")
