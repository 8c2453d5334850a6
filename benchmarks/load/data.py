"""The load test's data: LOAD_N identities, API accounts, and a sample of identities for locust to look for.

``load_identities`` is the one place that fills the table: the benchmark's generator (synthetic French
identities, 3 % near-duplicates) written as CSV, then ``manage.py import_identities`` (the product's own
bulk path: the checks of a creation, history rows, IPPs, events), as ``make bench`` does.
"""

import json
import random
from pathlib import Path

SAMPLE_SIZE = 2000


def load_identities(count: int, workdir: Path) -> None:
    from benchmarks.generator import generate, write
    from patients.bulk_import.runner import import_file

    identities = workdir / "identities.csv"
    write(generate(count, seed=42), identities, workdir / "truth.csv")
    import_file(identities, actor=None, rejects=workdir / "rejects.csv", keep_duplicates=True, workers=None)


def create_accounts(count: int) -> list[str]:
    """One API account per simulated agent (role Intégration DPI: reads, searches, creates); their tokens."""
    from io import StringIO

    from django.core.management import call_command

    tokens = []
    for i in range(1, count + 1):
        out = StringIO()
        call_command("create_api_account", f"load-{i:03d}", stdout=out)
        tokens.append(out.getvalue().strip())
    return tokens


def write_sample(path: Path, *, tokens: list[str]) -> None:
    """Identities that exist (to search and read) and the tokens, in a file the locust processes read."""
    from django.db import connection

    from patients.models import Patient

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patients_patient")
    rows = list(
        Patient.objects.order_by("?").values_list("public_id", "birth_name", "first_name", "birth_date")[:SAMPLE_SIZE]
    )
    random.Random(7).shuffle(rows)
    patients = [[str(pid), name, first, born.isoformat()] for pid, name, first, born in rows]
    path.write_text(json.dumps({"tokens": tokens, "patients": patients}), encoding="utf-8")
