"""Write side of duplicate detection: record suspected pairs, decide on them (RNIV ST-11, AUD-05, ST-02).

A suspected pair sets HOMD (homonym detected) on both identities; "not a duplicate" sets HOMA (confirmed
homonym), both through the attribute services so the identities' history says why.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from identity_registry.history import stamp_history
from patients import reasons
from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.scan import ScoredPair
from patients.duplicates.scoring import MatchScore
from patients.duplicates.selectors import Candidate, duplicate_candidates, identity_values, pair_fingerprint
from patients.models import Patient
from patients.services import (
    STRICT_TRAITS,
    IdentityResult,
    identity_set_attribute,
    patient_create,
    patient_update_traits,
)
from patients.services.common import require_reason
from patients.status import Attribute

SUSPECTED = "DUPLICATE_SUSPECTED"
REOPENED = "DUPLICATE_REOPENED"
NOT_DUPLICATE = "DUPLICATE_NOT_DUPLICATE"
POSTPONED = "DUPLICATE_POSTPONED"
SCAN_HOMD_REASON = "Doublon potentiel détecté par la recherche complète des doublons."


def explanation_of(match: MatchScore) -> dict[str, Any]:
    """The stored explanation: one code and similarity per trait (the screens translate the codes)."""
    return {c.trait: {"outcome": c.outcome.value, "similarity": round(c.similarity, 3)} for c in match.comparisons}


def _ordered(a: Patient, b: Patient) -> tuple[Patient, Patient]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def duplicate_record_suspected(
    *, actor: Any, patient: Patient, candidates: Iterable[Candidate], source: str
) -> list[DuplicateCandidate]:
    """Record each candidate as a suspected pair with ``patient`` and set HOMD on both (ST-02, ST-11).

    A pair already confirmed, or decided "not a duplicate" with unchanged strict traits, is left alone.
    """
    recorded = []
    for candidate in candidates:
        low, high = _ordered(patient, candidate.patient)
        fingerprint = pair_fingerprint(low, high)
        pair = DuplicateCandidate.objects.select_for_update().filter(patient_low=low, patient_high=high).first()
        if pair is not None and (
            pair.state == DuplicateCandidate.State.CONFIRMED
            or (pair.state == DuplicateCandidate.State.NOT_DUPLICATE and pair.fingerprint == fingerprint)
        ):
            continue
        code = SUSPECTED if pair is None else REOPENED
        pair = pair or DuplicateCandidate(patient_low=low, patient_high=high)
        pair.state = DuplicateCandidate.State.SUSPECTED
        pair.score = candidate.match.score
        pair.match_class = candidate.match.match_class or ""
        pair.explanation = explanation_of(candidate.match)
        pair.fingerprint = fingerprint
        pair.source = source
        pair.decided_by, pair.decided_at, pair.decision_reason = None, None, ""
        stamp_history(pair, actor=actor, reason_code=code)
        pair.save()
        recorded.append(pair)
        flag_homonyms(actor=actor, patients=[low, high], attribute=Attribute.HOMD, pair=pair)
    return recorded


def flag_homonyms(*, actor: Any, patients: Iterable[Patient | int], attribute: Attribute, pair: Any) -> None:
    """Set HOMD or HOMA on each identity through the attribute service (ST-02), naming the pair."""
    reason = {
        Attribute.HOMD: f"Doublon potentiel détecté (paire n° {pair.pk}).",
        Attribute.HOMA: f"Homonymes avérés : pas un doublon (paire n° {pair.pk}).",
    }[attribute]
    for patient in patients:
        identity_set_attribute(actor=actor, patient=patient, attribute=attribute, reason=reason)


def _lock(pair: DuplicateCandidate | int) -> DuplicateCandidate:
    pk = pair.pk if isinstance(pair, DuplicateCandidate) else pair
    return DuplicateCandidate.objects.select_for_update().select_related("patient_low", "patient_high").get(pk=pk)


@transaction.atomic
def duplicate_mark_not_duplicate(*, actor: Any, pair: DuplicateCandidate | int, reason: str) -> DuplicateCandidate:
    """Decide two identities are two people (homonyms): HOMA on both; never proposed again while the
    strict traits of both stay as they are now (AUD-05)."""
    text = require_reason(reason, "AUD-05")
    locked = _lock(pair)
    locked.state = DuplicateCandidate.State.NOT_DUPLICATE
    locked.fingerprint = pair_fingerprint(locked.patient_low, locked.patient_high)
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = text
    locked.postponed_at = None
    stamp_history(locked, actor=actor, reason_code=NOT_DUPLICATE, reason=text)
    locked.save()
    flag_homonyms(
        actor=actor, patients=[locked.patient_low_id, locked.patient_high_id], attribute=Attribute.HOMA, pair=locked
    )
    return locked


@transaction.atomic
def duplicate_postpone(*, actor: Any, pair: DuplicateCandidate | int, reason: str = "") -> DuplicateCandidate:
    """Leave the pair suspected and move it after the others in the worklist ("Plus tard")."""
    locked = _lock(pair)
    locked.postponed_at = timezone.now()
    stamp_history(locked, actor=actor, reason_code=POSTPONED, reason=reason)
    locked.save()
    return locked


@transaction.atomic
def duplicate_record_scan_pairs(*, actor: Any, pairs: list[ScoredPair]) -> int:
    """Record the pairs a full scan found; return how many were new or reopened (HOMD set on their sides).

    New pairs are written with simple-history's bulk helper; a "not a duplicate" decision whose strict
    traits have not changed stays as it is (the sticky rule), one whose traits changed is reopened.
    """
    existing = {
        (p.patient_low_id, p.patient_high_id): p
        for p in DuplicateCandidate.objects.select_for_update().filter(
            patient_low_id__in={sp.low["pk"] for sp in pairs}, patient_high_id__in={sp.high["pk"] for sp in pairs}
        )
    }
    new, touched = [], []
    for sp in pairs:
        fingerprint = pair_fingerprint(sp.low, sp.high)
        pair = existing.get((sp.low["pk"], sp.high["pk"]))
        if pair is None:
            new.append(_scan_pair(DuplicateCandidate(patient_low_id=sp.low["pk"], patient_high_id=sp.high["pk"]), sp))
            new[-1].fingerprint = fingerprint
        elif pair.state == DuplicateCandidate.State.NOT_DUPLICATE and pair.fingerprint != fingerprint:
            _scan_pair(pair, sp).fingerprint = fingerprint
            pair.decided_by, pair.decided_at, pair.decision_reason = None, None, ""
            stamp_history(pair, actor=actor, reason_code=REOPENED)
            pair.save()
            touched.append(pair)
    if new:
        created = DuplicateCandidate.objects.bulk_create(new)
        copy_to_history(
            DuplicateCandidate, [pair.pk for pair in created], actor=actor, reason=SUSPECTED, code=SUSPECTED
        )
        touched += created
    flag_detected_in_bulk(
        actor=actor, patient_ids={pk for p in touched for pk in (p.patient_low_id, p.patient_high_id)}
    )
    return len(touched)


def flag_detected_in_bulk(*, actor: Any, patient_ids: set[int]) -> int:
    """Set HOMD on many identities at once, one history row each (ST-02): the full scan's path.

    ``identity_set_attribute`` takes one identity at a time (about 7 ms with its lock and history row);
    the scan may flag hundreds of thousands. HOMD changes neither the status nor the search keys, so the
    locked rows are changed by one UPDATE and their history rows are copied from them by one
    INSERT … SELECT: the same rows simple-history writes, without building a model instance per row
    (Django's ``bulk_update`` and ``bulk_history_create`` cost ten times more at 1M identities).
    """
    ids = list(
        Patient.objects.select_for_update()
        .filter(pk__in=patient_ids, homonym_detected=False, homonym_confirmed=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    now = timezone.now()
    Patient.objects.filter(pk__in=ids).update(homonym_detected=True, version=F("version") + 1, updated_at=now)
    code = reasons.attribute_set(Attribute.HOMD)
    copy_to_history(Patient, ids, actor=actor, reason=SCAN_HOMD_REASON, code=code, history_type="~")
    return len(ids)


def copy_to_history(
    model: type, ids: list[int], *, actor: Any, reason: str, code: str, history_type: str = "+"
) -> None:
    """Write one history row per row of ``ids``, copied from the table by one INSERT … SELECT (AUD-01).

    The rows simple-history would write (every tracked column, who, when, why, reason code), without a
    model instance per row: the full scan writes hundreds of thousands of them.
    """
    if not ids:
        return
    history = model.history.model
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in history.tracked_fields)
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {history._meta.db_table} ({quoted}, history_date, history_change_reason, "  # noqa: S608 - names from the model
        f"history_type, history_user_id, history_reason_code) SELECT {quoted}, %s, %s, %s, %s, %s "
        f"FROM {model._meta.db_table} WHERE id IN ({marks})"
    )
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), reason, history_type, user_id, code, *ids])


def _scan_pair(pair: DuplicateCandidate, sp: ScoredPair) -> DuplicateCandidate:
    pair.state = DuplicateCandidate.State.SUSPECTED
    pair.score = sp.match.score
    pair.match_class = sp.match.match_class or ""
    pair.explanation = explanation_of(sp.match)
    pair.source = DuplicateCandidate.Source.SCAN
    return pair


@transaction.atomic
def patient_create_checking_duplicates(*, actor: Any, **traits: Any) -> tuple[IdentityResult, list[DuplicateCandidate]]:
    """Create an identity (``patient_create``) and record the duplicates it may be (ST-11): pairs and HOMD.

    The API's creation: the caller sees the suspected duplicates recorded. The screen asks the agent first
    (``patients.admin.duplicate_gate``) and records only what the agent saved anyway.
    """
    # Already inside this transaction: the service's body without a savepoint of its own (issue 10).
    result = patient_create.__wrapped__(actor=actor, **traits)
    patient = result.patient
    patient.identifier_rows = []  # a new identity has no identifiers of other systems: nothing to read
    candidates = duplicate_candidates(values=identity_values(patient), exclude=patient)
    if not candidates:
        return result, []
    pairs = duplicate_record_suspected(
        actor=actor, patient=patient, candidates=candidates, source=DuplicateCandidate.Source.CREATE
    )
    if pairs:
        patient.refresh_from_db()  # HOMD was set: the caller gets the current version
    return result, pairs


@transaction.atomic
def patient_update_checking_duplicates(
    *,
    actor: Any,
    patient: Patient | int,
    changes: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[IdentityResult, list[DuplicateCandidate]]:
    """Change traits (``patient_update_traits``); after a strict-trait change, record the duplicates (ST-11).

    Pairs decided "not a duplicate" come back only if the strict traits of a side changed (AUD-05).
    """
    result = patient_update_traits(
        actor=actor, patient=patient, changes=changes, reason=reason, expected_version=expected_version
    )
    if not set(result.changed_fields) & set(STRICT_TRAITS):
        return result, []
    updated = result.patient
    candidates = duplicate_candidates(values=identity_values(updated), exclude=updated)
    pairs = duplicate_record_suspected(
        actor=actor, patient=updated, candidates=candidates, source=DuplicateCandidate.Source.UPDATE
    )
    if pairs:
        updated.refresh_from_db()
    return result, pairs


# TODO(lead, issue 9 merge): "Fusionner" calls idents' patient_merge(*, actor, survivor, merged, reason) and
# then marks the pair CONFIRMED (decided_by, decided_at, decision_reason, history code DUPLICATE_MERGED).
