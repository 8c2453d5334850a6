"""Load the shipped referential (data/birthplaces.json.gz, built by ``manage.py build_birthplaces``) once."""

from __future__ import annotations

import gc
import gzip
import json
from datetime import date
from functools import cache
from pathlib import Path

from patients.birthplaces.index import COUNTRY, BirthplaceIndex, Place

# Countries are ranked as a town of this size: after the cities, before the villages that start alike
# ("allemagne": the country before Allemagne-en-Provence, "mar": Marseille before MAROC).
COUNTRY_RANK = 100_000
DATA_FILE = Path(__file__).resolve().parent / "data" / "birthplaces.json.gz"


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def places_from(data: dict) -> list[Place]:
    population = data.get("population", {})
    periods = data["communes"]
    names: dict[str, list[tuple[date | None, str]]] = {}
    for code, name, kind, start, _end, _target in periods:
        if kind == "":
            names.setdefault(code, []).append((_day(start), name))

    def parent_name(code: str, on: date | None) -> str:
        known = sorted(names.get(code, []), key=lambda item: item[0] or date.min)
        chosen = [name for start, name in known if on is None or start is None or start <= on]
        return (chosen or [name for _, name in known] or [code])[-1]

    places = []
    for code, name, kind, start, end, target in periods:
        begins = _day(start)
        parent = parent_name(target, begins) if kind in ("D", "A") else ""
        places.append(Place(target, name, kind, begins, _day(end), code, parent, population.get(code, 0)))
    for code, country_names in data["countries"]:
        main = country_names[0]
        places.extend(
            Place(
                code,
                name,
                COUNTRY,
                parent="" if name == main else main,
                population=COUNTRY_RANK // (1 + (name != main)),
            )
            for name in country_names
        )
    return places


@cache
def birthplaces() -> BirthplaceIndex:
    """The index of the shipped referential, built at the first lookup of the process (about a second)."""
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        index = BirthplaceIndex(places_from(json.load(handle)))
    # The index is some 300,000 objects kept for the life of the process: moved out of the collector's reach,
    # no later garbage collection walks them (a full collection otherwise paused a lookup by 10-30 ms).
    gc.collect()
    gc.freeze()
    return index


def source() -> dict:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        return json.load(handle)["source"]
