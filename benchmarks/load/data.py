"""The load test's data: LOAD_N identities, API accounts, and a sample of identities for locust to look for.

``load_identities`` is the one place that fills the table. It uses the search benchmark's bulk path (ORM
``bulk_create``, derived fields computed, no history rows); when ``manage.py import_identities`` and its
generator land, only this function changes.
"""

import json
import random
from pathlib import Path

SAMPLE_SIZE = 2000


def load_identities(count: int) -> None:
    from benchmarks.search import seed

    seed(count)


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
