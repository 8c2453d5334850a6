"""The duplicate check of an import batch, against the registry and within the file (RNIV ST-11, AUD-05).

The rows of earlier batches are already committed, so "the registry" covers the file's earlier rows too.
Blocking is the full scan's: (year, min(day, month), max(day, month)), one indexed query per batch for the
birth dates (and their day/month swaps), then the scan's vectorised pre-filter and the pure scorer.
"""

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


def _existing(dates: list) -> list[dict[str, Any]]:
    names = ("pk", *COLUMNS[1:])
    sql = f"SELECT {', '.join(COLUMNS)}, ipp FROM patients_patient WHERE is_active AND birth_date IN %s"  # noqa: S608
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


def batch_duplicates(rows: list[CheckedRow], pool: Any = None) -> dict[int, Refusal]:
    """The rows of a batch that are duplicates of an identity of the registry or of an earlier row, by line."""
    refusals = _same_ins(rows)
    candidates = [row for row in rows if row.line not in refusals]
    dates = sorted(
        {d for row in candidates for d in (row.values["birth_date"], swapped(row.values["birth_date"])) if d}
    )
    if not dates:
        return refusals
    blocks: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for item in _existing(dates):
        blocks[_block_key(item)].append(item)
    new_blocks: set[tuple] = set()
    for row in candidates:
        # New rows get negative keys: they sort before the registry's rows, and never collide with a pk.
        item = {**row.values, "pk": -row.line}
        key = _block_key(item)
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
