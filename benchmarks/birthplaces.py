"""Benchmark of the birthplace index (TR-06): build time, memory, and lookup latency per query shape.

Run with `make bench` (all benchmarks) or `python -m benchmarks.run birthplaces`. Needs no database rows: the
index is built in memory from the shipped referential (patients/birthplaces/data/birthplaces.json.gz).
"""

import gzip
import json
import statistics
import time
import tracemalloc
from datetime import date
from pathlib import Path

REPEAT = 200
QUERIES = [
    ("clermont", None),
    ("s", None),
    ("st", None),
    ("saint", None),
    ("saint m", None),
    ("seynod", date(1980, 5, 4)),
    ("seynod", date(2018, 5, 4)),
    ("l'isle-adam", None),
    ("allemagne", None),
    ("63113", None),
    ("zzzzz", None),
]


def run(*, workdir: Path, reports: Path) -> Path:
    from patients.birthplaces.index import BirthplaceIndex
    from patients.birthplaces.loader import DATA_FILE, birthplaces, places_from

    started = time.perf_counter()
    index = birthplaces()
    build_seconds = time.perf_counter() - started
    # Memory measured on a second build: tracemalloc slows the build it watches tenfold.
    tracemalloc.start()
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        BirthplaceIndex(places_from(json.load(handle)))
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    lines = [
        "# Birthplace index (TR-06)",
        "",
        f"{len(index.places)} names (communes since 1943 and countries). Index built in {build_seconds:.2f} s, "
        f"peak {peak_mb:.0f} MB while building.",
        "",
        "| query | birth date | first answer | median ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for text, on in QUERIES:
        times = []
        for _ in range(REPEAT):
            begun = time.perf_counter()
            found = index.search(text, on)
            times.append((time.perf_counter() - begun) * 1000)
        times.sort()
        first = found[0].value if found else "—"
        p95 = times[int(len(times) * 0.95) - 1]
        lines.append(
            f"| `{text}` | {on or '—'} | {first} | {statistics.median(times):.3f} | {p95:.3f} | {times[-1]:.3f} |"
        )
    report = reports / "birthplaces.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
