"""Benchmark of identity search (TR-05) on a large table: latency per query shape and the plan used.

Run with `make bench` (all benchmarks) or `python -m benchmarks.run search`; set BENCH_DATABASE_URL to a
PostgreSQL server to measure the trigram indexes (see benchmarks/run.py).
"""

import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = int(os.environ.get("BENCH_SEARCH_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "30"))
SYLLABLES = [
    "MAR",
    "TIN",
    "BER",
    "NARD",
    "DU",
    "PONT",
    "LE",
    "GALL",
    "RO",
    "SEAU",
    "FON",
    "TAINE",
    "GUE",
    "RIN",
    "MO",
    "REAU",
    "PE",
    "TIT",
    "LAM",
    "BERT",
    "CHE",
    "VAL",
    "LIER",
    "BON",
    "NET",
    "DA",
    "VID",
]
FIRST = ["JEAN", "MARIE", "PIERRE", "ANNE", "LOUIS", "ZOE", "EVE", "PAUL", "CLAIRE", "LUC", "NOE", "INES", "LEA"]


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    roll = rng.random()
    if roll < 0.1:
        return "D'" + name
    if roll < 0.2:
        return name + "-" + "".join(rng.choice(SYLLABLES) for _ in range(2))
    return name


def seed(rows: int) -> None:
    """Insert synthetic identities fast: a benchmark fixture, so history rows are deliberately skipped."""
    from patients.ipp import allocate_ipps
    from patients.models import Patient
    from patients.services import refresh_derived

    rng = random.Random(42)
    batch = []
    for i in range(rows):
        first = rng.choice(FIRST)
        names = first + (" " + rng.choice(FIRST) if rng.random() < 0.5 else "")
        patient = Patient(
            birth_name=_name(rng),
            first_name=first,
            first_names=names,
            sex=rng.choice("MF"),
            birth_date=date(1930, 1, 1) + timedelta(days=rng.randint(0, 33000)),
            used_name=_name(rng) if rng.random() < 0.3 else "",
        )
        refresh_derived(patient)
        batch.append(patient)
        if len(batch) == 5000 or i == rows - 1:
            for seeded, ipp in zip(batch, allocate_ipps(len(batch)), strict=True):
                seeded.ipp = ipp
            Patient.objects.bulk_create(batch)
            batch = []


def measure(label: str, run) -> dict:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        count = run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "label": label,
        "count": count,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
    }


def run(*, workdir: Path, reports: Path) -> Path:
    """Seed the table, time each query shape, write the report and return its path."""
    from django.db import connection

    from patients.models import Patient
    from patients.search.selectors import patient_tolerant_search
    from patients.selectors import patient_search

    seed(ROWS)
    sample = Patient.objects.order_by("?").first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE patients_patient")
    word = sample.birth_name.replace("'", " ").lower()
    cases = [
        (
            "quick search, full birth name typed with spaces, first 50",
            lambda: len(patient_tolerant_search(text=word)[1]),
        ),
        (
            "quick search, name + first name, first 50",
            lambda: len(patient_tolerant_search(text=f"{word} {sample.first_name.lower()}")[1]),
        ),
        ("name + birth date", lambda: len(patient_search(name=sample.birth_name, birth_date=sample.birth_date))),
        ("name fragment (4 letters), first 50", lambda: len(patient_search(name=sample.birth_name_key[1:5])[:50])),
        ("by INS (none found)", lambda: len(patient_tolerant_search(text="275126322074974")[1])),
    ]
    results = [measure(label, run) for label, run in cases]
    plan = str(patient_search(name=sample.birth_name, birth_date=sample.birth_date).explain())
    lines = [
        f"# Search benchmark ({connection.vendor}, {ROWS} identities, {REPEAT} runs per query)",
        "",
        "| query | rows | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r['label']} | {r['count']} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} |" for r in results]
    lines += ["", "Plan of `name + birth date`:", "", "```", plan, "```"]
    report = reports / "search.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return report
