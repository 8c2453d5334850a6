"""The duplicate check of an import batch, against the registry and within the file (RNIV ST-11, AUD-05).

Blocking is the full scan's: (year, min(day, month), max(day, month)). The identities the registry held
when the run started come from one indexed query per batch (birth dates and their day/month swaps); the
rows this run already accepted come from an in-memory index by block, so loading an empty registry asks
the database nothing. Only the pairs a new row makes are compared (never two rows already checked): their
name similarities are computed for the whole batch at once (rapidfuzz ``cpdist``), with the full scan's
pre-filter bound, and the pure scorer explains the few pairs that pass it.
"""

import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cpdist

from patients.bulk_import.rows import CheckedRow
from patients.duplicates.scan import COLUMNS, REST, _block_key
from patients.duplicates.scoring import CLASS_LABELS, LOW, WEIGHTS, score_pair, swapped
from patients.duplicates.selectors import traits_of


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str


# A compared identity is a tuple: the scan's columns, then the IPP ("" for a row of the file, whose
# key is minus its line: negative keys never collide with a registry id).
NAMES = ("pk", *COLUMNS[1:], "ipp")
PK, BIRTH_KEY, USED_KEY = NAMES.index("pk"), NAMES.index("birth_name_key"), NAMES.index("used_name_key")
FIRST_NAME, FIRST_NAMES = NAMES.index("first_name"), NAMES.index("first_names")


def _as_tuple(row: CheckedRow) -> tuple:
    values = row.values
    return (-row.line, *(sys.intern(v) if isinstance(v, str) else v for v in map(values.get, NAMES[1:-1])), "")


def _first(row: tuple) -> str:
    return (row[FIRST_NAMES] or row[FIRST_NAME] or " ").split()[0]


_COMPARED = ("birth", "used", "first")


class _Store:
    """Identities as rows of parallel arrays: the compact tuple (to explain a match) and what the pre-filter
    compares (birth name key, used name key, first first name), computed once per identity, not per pair.
    Pairs are then two arrays of row numbers, and their names are gathered by numpy, not by Python loops."""

    def __init__(self, capacity: int = 4096) -> None:
        self.size = 0
        self.tuples = np.empty(capacity, dtype=object)
        self.texts = {name: np.empty(capacity, dtype=object) for name in _COMPARED}
        self.present = {name: np.zeros(capacity, dtype=bool) for name in _COMPARED}

    def _grow(self) -> None:
        def doubled(old: np.ndarray) -> np.ndarray:
            return np.concatenate([old, np.empty_like(old)])  # append writes a slot before it is read

        self.tuples = doubled(self.tuples)
        self.texts = {name: doubled(array) for name, array in self.texts.items()}
        self.present = {name: doubled(array) for name, array in self.present.items()}

    def append(self, item: tuple) -> int:
        at = self.size
        if at == len(self.tuples):
            self._grow()
        self.tuples[at] = item
        for name, text in zip(_COMPARED, (item[BIRTH_KEY], item[USED_KEY], _first(item)), strict=True):
            self.texts[name][at] = text
            self.present[name][at] = bool(text)
        self.size = at + 1
        return at

    def truncate(self, size: int) -> None:
        """Forget the rows from ``size`` on (a batch's registry rows and its own rows, once checked)."""
        self.tuples[size : self.size] = None
        for name in _COMPARED:
            self.texts[name][size : self.size] = None
        self.size = size


class FileIndex:
    """The rows this run accepted, by block, as rows of a ``_Store`` (names repeat: they are interned)."""

    def __init__(self) -> None:
        self.store = _Store()
        self.blocks: dict[tuple, list[int]] = defaultdict(list)
        self.batch: dict[int, tuple] = {}
        # ST-11: the INS of the rows accepted, with their line (the database sees them only once committed).
        self.ins: dict[str, int] = {}

    def compact(self, row: CheckedRow) -> tuple:
        """The row as a tuple, kept until ``add`` (its batch is checked, then written)."""
        self.batch[row.line] = found = _as_tuple(row)
        return found

    def add(self, rows: list[CheckedRow]) -> None:
        for row in rows:
            item = self.batch.pop(row.line, None) or _as_tuple(row)
            self.blocks[_block_key(row.values)].append(self.store.append(item))
            if row.values["ins_matricule"]:
                self.ins.setdefault(row.values["ins_matricule"], row.line)
        self.batch.clear()

    def rows(self, key: tuple) -> list[int]:
        """The store rows of a block (row numbers)."""
        return self.blocks.get(key, [])


def _existing(dates: list, up_to: int | None) -> list[tuple]:
    sql = f"SELECT {', '.join(COLUMNS)}, ipp FROM patients_patient WHERE is_active AND birth_date IN %s"  # noqa: S608
    if up_to is not None:
        sql += f" AND id <= {int(up_to)}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace("IN %s", "= ANY(%s)"), [dates])
            return cursor.fetchall()
        rows: list[tuple] = []
        for start in range(0, len(dates), 500):
            part = dates[start : start + 500]
            cursor.execute(sql.replace("%s", "(" + ", ".join(["%s"] * len(part)) + ")"), part)
            rows.extend(cursor.fetchall())
    at = NAMES.index("birth_date")
    return [  # SQLite may return the date as text
        (*row[:at], date.fromisoformat(row[at]), *row[at + 1 :]) if isinstance(row[at], str) else row for row in rows
    ]


def _same_ins(rows: list[CheckedRow], index: FileIndex | None) -> dict[int, Refusal]:
    refusals: dict[int, Refusal] = {}
    held = [row.values["ins_matricule"] for row in rows if row.values["ins_matricule"]]
    if not held:
        return refusals
    taken: dict[str, str] = {}
    # The whole registry, identities created meanwhile included: the unique index would refuse the batch.
    sql = "SELECT ins_matricule, ipp FROM patients_patient WHERE is_active AND ins_matricule "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql + "= ANY(%s)", [held])
            taken.update(dict(cursor.fetchall()))
        else:
            for start in range(0, len(held), 500):
                part = held[start : start + 500]
                cursor.execute(sql + "IN (" + ", ".join(["%s"] * len(part)) + ")", part)
                taken.update(dict(cursor.fetchall()))
    accepted = index.ins if index is not None else {}
    first_line: dict[str, int] = {}
    for row in rows:
        ins = row.values["ins_matricule"]
        if not ins:
            continue
        if ins in accepted:  # committed or not: the same reason whatever the writer's progress
            where = f"la ligne {accepted[ins]} du fichier"
        elif ins in taken:
            where = f"l'identité IPP {taken[ins]}"
        elif ins in first_line:
            where = f"la ligne {first_line[ins]} du fichier"
        else:
            first_line[ins] = row.line
            continue
        # RNIV ST-11: two active identities never carry the same INS; a second one is a duplicate to resolve.
        refusals[row.line] = Refusal("ST-11", f"Le matricule INS est déjà porté par {where} (règle ST-11).")
    return refusals


def _similarity(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The scan's name similarity of each pair: the better of Indel and Jaro-Winkler (less 0.05)."""
    indel = cpdist(left, right, scorer=Indel.normalized_similarity, dtype=np.float32)
    jaro = cpdist(left, right, scorer=JaroWinkler.similarity, dtype=np.float32) - 0.05
    return np.maximum(indel, jaro)


def _plausible(store: _Store, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The pairs (``old[i]``, ``new[i]``) that can reach the low threshold: the full scan's bound
    (``pairs_in_block``), pair by pair, computed where both names are present."""
    names = np.zeros(len(old), dtype=np.float32)
    # Birth and used names crossed; a missing name compares with nothing (most identities have no used name).
    for left, right in (("birth", "birth"), ("birth", "used"), ("used", "birth"), ("used", "used")):
        both = np.nonzero(store.present[left][old] & store.present[right][new])[0]
        if both.size:
            found = _similarity(store.texts[left][old[both]], store.texts[right][new[both]])
            names[both] = np.maximum(names[both], found)
    firsts = _similarity(store.texts["first"][old], store.texts["first"][new])
    bound = WEIGHTS["name"] * names + WEIGHTS["first_names"] * np.maximum(firsts, 0.0) + REST
    return np.nonzero((bound >= LOW - 0.03) & (names >= 0.5))[0]


def _explain(old: tuple, new: tuple) -> tuple[int, float, str] | None:
    """(line, score, French reason) when the new row matches the identity or earlier row ``old``."""
    match = score_pair(traits_of(dict(zip(NAMES, old, strict=True))), traits_of(dict(zip(NAMES, new, strict=True))))
    if match.match_class is None:
        return None
    # Of two rows of the file, the later one is the duplicate.
    other = f"la ligne {-old[PK]} du fichier" if old[PK] < 0 else f"l'identité IPP {old[NAMES.index('ipp')]}"
    label = CLASS_LABELS[match.match_class]
    why = ", ".join(c.label for c in match.comparisons if c.differs) or "traits identiques"
    return -new[PK], match.score, f"{label} (score {match.score:.2f}) de {other} : {why} (règle ST-11)."


def batch_duplicates(
    rows: list[CheckedRow], index: FileIndex | None = None, registry_up_to: int | None = None
) -> dict[int, Refusal]:
    """The rows of a batch that are duplicates of an identity of the registry or of an earlier row, by line.

    With ``index`` (the rows this run accepted), the registry is read only up to ``registry_up_to``, its
    last id when the run started; without it, the whole registry (earlier batches included).
    """
    refusals = _same_ins(rows, index)
    candidates = [row for row in rows if row.line not in refusals]
    dates = sorted(
        {d for row in candidates for d in (row.values["birth_date"], swapped(row.values["birth_date"])) if d}
    )
    if not dates:
        return refusals
    store = index.store if index is not None else _Store()
    mark = store.size  # the rows beyond it (the registry's, this batch's) are forgotten once checked
    registry: dict[tuple, list[int]] = defaultdict(list)
    if index is None or registry_up_to:
        for item in _existing(dates, registry_up_to if index is not None else None):
            registry[_block_key(dict(zip(NAMES, item, strict=True)))].append(store.append(item))
    earlier: dict[tuple, list[int]] = {}
    old_rows: list[int] = []
    new_rows: list[int] = []
    for row in candidates:  # in file order: each new row meets the registry's and the earlier rows of its block
        key = _block_key(row.values)
        block = earlier.get(key)
        if block is None:
            block = earlier[key] = registry.get(key, []) + (index.rows(key) if index is not None else [])
        new = store.append(index.compact(row) if index is not None else _as_tuple(row))
        old_rows.extend(block)
        new_rows.extend([new] * len(block))
        block.append(new)
    best: dict[int, tuple[float, str]] = {}
    try:
        old, new = np.array(old_rows, dtype=np.intp), np.array(new_rows, dtype=np.intp)
        for i in _plausible(store, old, new).tolist() if len(old) else ():
            found = _explain(store.tuples[old[i]], store.tuples[new[i]])
            if found is not None and (found[0] not in best or found[1] > best[found[0]][0]):
                best[found[0]] = found[1:]
    finally:
        store.truncate(mark)
    for line, (_, text) in best.items():
        refusals[line] = Refusal("ST-11", text)
    return refusals
