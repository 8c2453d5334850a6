"""The duplicate check of an import batch, against the registry and within the file (RNIV ST-11, AUD-05).

Blocking is the full scan's: (year, min(day, month), max(day, month)). The identities the registry held
when the run started come from one indexed query per batch (birth dates and their day/month swaps); the
rows this run already accepted come from an in-memory index by block, so loading an empty registry asks
the database nothing. The scan's vectorised pre-filter and the pure scorer then compare each block.
"""

import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection

from patients.bulk_import.rows import CheckedRow
from patients.duplicates.scan import COLUMNS, _block_key, pairs_in_block
from patients.duplicates.scoring import CLASS_LABELS, swapped


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str


NAMES = ("pk", *COLUMNS[1:])


class FileIndex:
    """The rows this run accepted, by block, as compact tuples (names repeat: they are interned)."""

    def __init__(self) -> None:
        self.blocks: dict[tuple, list[tuple]] = defaultdict(list)

    def add(self, rows: list[CheckedRow]) -> None:
        for row in rows:
            item = {**row.values, "pk": -row.line}
            values = tuple(sys.intern(v) if isinstance(v, str) else v for v in (item[name] for name in NAMES))
            self.blocks[_block_key(item)].append(values)

    def rows(self, key: tuple) -> list[dict[str, Any]]:
        return [dict(zip(NAMES, values, strict=True)) for values in self.blocks.get(key, ())]


def _existing(dates: list, up_to: int | None) -> list[dict[str, Any]]:
    names = NAMES
    sql = f"SELECT {', '.join(COLUMNS)}, ipp FROM patients_patient WHERE is_active AND birth_date IN %s"  # noqa: S608
    if up_to is not None:
        sql += f" AND id <= {int(up_to)}"
    rows: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace("IN %s", "= ANY(%s)"), [dates])
        else:
            for start in range(0, len(dates), 500):
                part = dates[start : start + 500]
                cursor.execute(sql.replace("%s", "(" + ", ".join(["%s"] * len(part)) + ")"), part)
                rows_part = cursor.fetchall()
                rows.extend(_as_rows(names, rows_part))
            return rows
        rows.extend(_as_rows(names, cursor.fetchall()))
    return rows


def _as_rows(names: tuple[str, ...], values: list[tuple]) -> list[dict[str, Any]]:
    from datetime import date

    out = []
    for row in values:
        item = dict(zip((*names, "ipp"), row, strict=True))
        if isinstance(item["birth_date"], str):  # SQLite
            item["birth_date"] = date.fromisoformat(item["birth_date"])
        out.append(item)
    return out


def _same_ins(rows: list[CheckedRow]) -> dict[int, Refusal]:
    refusals: dict[int, Refusal] = {}
    held = [row.values["ins_matricule"] for row in rows if row.values["ins_matricule"]]
    if not held:
        return refusals
    taken: dict[str, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(held), 1000):
            part = held[start : start + 1000]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT ins_matricule, ipp FROM patients_patient WHERE is_active AND ins_matricule IN ({marks})",  # noqa: S608
                part,
            )
            taken.update(dict(cursor.fetchall()))
    first_line: dict[str, int] = {}
    for row in rows:
        ins = row.values["ins_matricule"]
        if not ins:
            continue
        if ins in taken:
            where = f"l'identité IPP {taken[ins]}"
        elif ins in first_line:
            where = f"la ligne {first_line[ins]} du fichier"
        else:
            first_line[ins] = row.line
            continue
        # RNIV ST-11: two active identities never carry the same INS; a second one is a duplicate to resolve.
        refusals[row.line] = Refusal("ST-11", f"Le matricule INS est déjà porté par {where} (règle ST-11).")
    return refusals


def score_blocks(blocks: list[list[dict[str, Any]]]) -> list[tuple[int, float, str]]:
    """(line, score, French reason) of each new row matching another row of its block (run on a worker)."""
    found = []
    for block in blocks:
        for pair in pairs_in_block(block):
            a, b = pair.low, pair.high
            if a["pk"] > 0 and b["pk"] > 0:
                continue  # two identities already in the registry: the full scan's business
            if a["pk"] < 0 and b["pk"] < 0:  # two rows of the file: the later one is the duplicate
                line, other = max(-a["pk"], -b["pk"]), f"la ligne {min(-a['pk'], -b['pk'])} du fichier"
            else:
                new, old = (a, b) if a["pk"] < 0 else (b, a)
                line, other = -new["pk"], f"l'identité IPP {old['ipp']}"
            score = pair.match.score
            label = CLASS_LABELS[pair.match.match_class]
            why = ", ".join(c.label for c in pair.match.comparisons if c.differs) or "traits identiques"
            found.append((line, score, f"{label} (score {score:.2f}) de {other} : {why} (règle ST-11)."))
    return found


def batch_duplicates(
    rows: list[CheckedRow], pool: Any = None, index: FileIndex | None = None, registry_up_to: int | None = None
) -> dict[int, Refusal]:
    """The rows of a batch that are duplicates of an identity of the registry or of an earlier row, by line.

    With ``index`` (the rows this run accepted), the registry is read only up to ``registry_up_to``, its
    last id when the run started; without it, the whole registry (earlier batches included).
    """
    refusals = _same_ins(rows)
    candidates = [row for row in rows if row.line not in refusals]
    dates = sorted(
        {d for row in candidates for d in (row.values["birth_date"], swapped(row.values["birth_date"])) if d}
    )
    if not dates:
        return refusals
    blocks: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    if index is None or registry_up_to:
        for item in _existing(dates, registry_up_to if index is not None else None):
            blocks[_block_key(item)].append(item)
    new_blocks: set[tuple] = set()
    for row in candidates:
        # New rows get negative keys: they sort before the registry's rows, and never collide with a pk.
        item = {**row.values, "pk": -row.line}
        key = _block_key(item)
        if index is not None and key not in new_blocks:
            blocks[key].extend(index.rows(key))
        blocks[key].append(item)
        new_blocks.add(key)
    scored = [blocks[key] for key in new_blocks if len(blocks[key]) >= 2]
    if pool is None or len(scored) < 200:
        found = score_blocks(scored)
    else:
        parts = [scored[i :: pool._processes] for i in range(pool._processes)]
        found = [item for part in pool.map(score_blocks, parts) for item in part]
    best: dict[int, tuple[float, str]] = {}
    for line, score, text in found:
        if line not in best or score > best[line][0]:
            best[line] = (score, text)
    for line, (_, text) in best.items():
        refusals[line] = Refusal("ST-11", text)
    return refusals
