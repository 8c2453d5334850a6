"""The full duplicate scan: stream identities by birth-date block, pre-filter, score, record (ST-11, AUD-05).

Blocking is RNIV-aware: a block is (year, min(day, month), max(day, month)), so a date and its day/month
swap fall in the same block, even when a name typo comes on top. Rows arrive sorted by block from the
database and only one block is held in memory. Inside a block a vectorised name pre-filter (rapidfuzz
``cdist``) drops the pairs that cannot reach the low threshold before the pure scorer explains the rest.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cdist

from patients.duplicates.models import DuplicateScan
from patients.duplicates.scoring import LOW, WEIGHTS, MatchScore, score_pair
from patients.duplicates.selectors import FINGERPRINT_FIELDS, traits_of

FIELDS = ("pk", *FINGERPRINT_FIELDS, "used_name", "ins_matricule", "birth_name_key", "used_name_key")
# A pair needs WEIGHTS name*n + first_names*f + (date, sex, birthplace at most) >= LOW: below this bound
# on the name and first-name similarities it can never become a candidate.
REST = 1.0 - WEIGHTS["name"] - WEIGHTS["first_names"]


@dataclass(frozen=True)
class ScoredPair:
    low: dict[str, Any]
    high: dict[str, Any]
    match: MatchScore


def _block_key(row: dict[str, Any]) -> tuple[int, int, int]:
    d = row["birth_date"]
    return (d.year, min(d.day, d.month), max(d.day, d.month))


BLOCK_SQL = {
    # One block = (year, min(day, month), max(day, month)): a date and its day/month swap together.
    "postgresql": (
        "EXTRACT(YEAR FROM birth_date)::int",
        "LEAST(EXTRACT(MONTH FROM birth_date), EXTRACT(DAY FROM birth_date))::int",
        "GREATEST(EXTRACT(MONTH FROM birth_date), EXTRACT(DAY FROM birth_date))::int",
    ),
    "sqlite": (
        "CAST(strftime('%%Y', birth_date) AS INTEGER)",
        "min(CAST(strftime('%%m', birth_date) AS INTEGER), CAST(strftime('%%d', birth_date) AS INTEGER))",
        "max(CAST(strftime('%%m', birth_date) AS INTEGER), CAST(strftime('%%d', birth_date) AS INTEGER))",
    ),
}
COLUMNS = ("id", *FIELDS[1:-2], "birth_name_key", "used_name_key")


def stream_blocks(after: tuple[int, int, int] | None = None, chunk: int = 5000) -> Iterator[list[dict[str, Any]]]:
    """Yield the active identities one birth-date block at a time, in block order, after ``after``.

    Raw SQL through a server-side cursor (PostgreSQL): at 1M rows the ORM's per-row conversions would
    cost more than the scoring itself.
    """
    year, low, high = BLOCK_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    where = f"AND ({year}, {low}, {high}) > (%s, %s, %s)" if after else ""
    sql = (
        f"SELECT {', '.join(COLUMNS)} FROM patients_patient WHERE is_active {where} "  # noqa: S608 - constants only
        f"ORDER BY {year}, {low}, {high}, id"
    )
    names = ("pk", *COLUMNS[1:])
    block: list[dict[str, Any]] = []
    key = None
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, list(after) if after else [])
        while rows := cursor.fetchmany(chunk):
            for values in rows:
                row = dict(zip(names, values, strict=True))
                if isinstance(row["birth_date"], str):  # SQLite
                    row["birth_date"] = date.fromisoformat(row["birth_date"])
                row_key = _block_key(row)
                if row_key != key and block:
                    yield block
                    block = []
                key = row_key
                block.append(row)
    if block:
        yield block


def _name_matrix(block: list[dict[str, Any]]) -> np.ndarray:
    """Best name similarity of each pair, birth and used names crossed (vectorised)."""
    keys, owner = [], []
    for i, row in enumerate(block):
        for key in (row["birth_name_key"], row["used_name_key"]):
            if key:
                keys.append(key)
                owner.append(i)
    indel = cdist(keys, keys, scorer=Indel.normalized_similarity, dtype=np.float32)
    jaro = cdist(keys, keys, scorer=JaroWinkler.similarity, dtype=np.float32) - 0.05
    by_key = np.maximum(indel, jaro)
    n = len(block)
    best = np.zeros((n, n), dtype=np.float32)
    owners = np.asarray(owner)
    np.maximum.at(best, (owners[:, None], owners[None, :]), by_key)
    return best


def _first_name_matrix(block: list[dict[str, Any]]) -> np.ndarray:
    firsts = [(row["first_names"] or row["first_name"] or " ").split()[0] for row in block]
    indel = cdist(firsts, firsts, scorer=Indel.normalized_similarity, dtype=np.float32)
    jaro = cdist(firsts, firsts, scorer=JaroWinkler.similarity, dtype=np.float32) - 0.05
    return np.maximum(indel, jaro)


def pairs_in_block(block: list[dict[str, Any]]) -> list[ScoredPair]:
    """Score the pairs of one block that can reach the low threshold."""
    if len(block) < 2:
        return []
    names = _name_matrix(block)
    firsts = _first_name_matrix(block)
    # Phonetic and separator-only matches score at least as high as these raw similarities (0.92, 1.0).
    bound = WEIGHTS["name"] * np.maximum(names, 0.0) + WEIGHTS["first_names"] * np.maximum(firsts, 0.0) + REST
    bound[names < 0.5] = 0.0
    ii, jj = np.nonzero(np.triu(bound >= LOW - 0.03, k=1))
    found = []
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        a, b = block[i], block[j]
        match = score_pair(traits_of(a), traits_of(b))
        if match.match_class is not None:
            low, high = (a, b) if a["pk"] < b["pk"] else (b, a)
            found.append(ScoredPair(low, high, match))
    return found


def scan(
    *,
    record: Callable[[list[ScoredPair]], int],
    restart: bool = False,
    batch_blocks: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> DuplicateScan:
    """Run (or resume) the full scan; ``record`` stores each batch of pairs, committed with the checkpoint."""
    run = None if restart else DuplicateScan.objects.filter(finished_at__isnull=True).first()
    if run is None:
        run = DuplicateScan.objects.create()
    after = tuple(run.checkpoint) if run.checkpoint else None
    pending: list[ScoredPair] = []
    seen = 0
    last_key = after
    for blocks, block in enumerate(stream_blocks(after), start=1):
        pending.extend(pairs_in_block(block))
        seen += len(block)
        last_key = _block_key(block[-1])
        if progress:
            progress(len(block))
        if blocks % batch_blocks == 0:
            _commit(run, record, pending, seen, last_key)
            pending, seen = [], 0
    _commit(run, record, pending, seen, last_key, finished=True)
    return run


def _commit(run: DuplicateScan, record: Callable, pending: list[ScoredPair], seen: int, key: Any, **kw: Any) -> None:
    # The pairs and the checkpoint commit together: a run killed between two batches resumes after the
    # last committed block and never records a block twice or skips one.
    with transaction.atomic():
        run.pairs_found += record(pending) if pending else 0
        run.identities_seen += seen
        run.checkpoint = list(key) if key else run.checkpoint
        if kw.get("finished"):
            run.finished_at = timezone.now()
        run.save()
