"""Benchmark of the API request path (issue 10): latency and queries per call, as the DPI token, in process.

Each call goes through the whole Django stack (middleware, token authentication, permission, view,
access log) with the Django test client, against ``BENCH_SEARCH_ROWS`` synthetic identities. The report
also gives the plans of the main queries (EXPLAIN ANALYZE on PostgreSQL).

    BENCH_DATABASE_URL=postgres://user@host:5432/name python -m benchmarks.run request_path
"""

import os
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.search import seed

ROWS = int(os.environ.get("BENCH_SEARCH_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_REQUEST_REPEAT", "100"))
MATRICULE = "275126322074974"
OID = "1.2.250.1.213.1.4.8"


def _dpi_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from patients import roles

    user = get_user_model().objects.create(username="bench-dpi")
    user.groups.add(Group.objects.get(name=roles.DPI))
    token = Token.objects.create(user=user)
    return Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


def _measure(label: str, call) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm: first use of the token, cached caller, IPP block
    times, queries = [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 201), (label, response.status_code, response.content[:200])
        queries.append(len(captured.captured_queries))
    times.sort()
    return {
        "label": label,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": int(statistics.median(queries)),
        "max_queries": max(queries),
    }


def _explain(sql: str, params: list) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _first_page(queryset, name: str):
    try:
        from patients.selectors import patient_ranked
    except ImportError:  # before issue 10: by id
        return queryset.order_by("id")[:21]
    return patient_ranked(queryset, name=name).order_by("search_rank")[:21]


def run(*, workdir: Path, reports: Path) -> Path:
    """Seed the table, time each call of the request path, write the report and return its path."""
    from django.db import connection

    from patients.models import Patient
    from patients.selectors import patient_search

    seed(ROWS)
    sample = Patient.objects.order_by("?").first()
    Patient.objects.filter(pk=sample.pk).update(ins_matricule=MATRICULE, ins_oid=OID)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE patients_patient")
    client = _dpi_client()
    search = "/api/v1/patients/search/"
    prefix = sample.birth_name_key[:4]
    created = iter(range(10**6))

    def create():
        number, letters = next(created), ""
        while True:
            number, digit = divmod(number, 26)
            letters += chr(65 + digit)
            if not number:
                break
        # A new person each time (another birth date): the duplicate check runs and finds nobody.
        born = date(1990, 1, 1) + timedelta(days=next(created))
        body = {"birth_name": f"BENCH{letters}", "first_name": "Zoe", "sex": "F", "birth_date": born.isoformat()}
        return client.post("/api/v1/patients/", body, content_type="application/json")

    cases = [
        ("GET one identity", lambda: client.get(f"/api/v1/patients/{sample.public_id}/")),
        ("search by INS", lambda: client.post(search, {"ins": MATRICULE}, content_type="application/json")),
        (
            "birth name + birth date",
            lambda: client.post(
                search,
                {"name": sample.birth_name, "birth_date": sample.birth_date.isoformat()},
                content_type="application/json",
            ),
        ),
        ("4-letter prefix, first 20", lambda: client.post(search, {"name": prefix}, content_type="application/json")),
        ("create with duplicate check", create),
    ]
    results = [_measure(label, call) for label, call in cases]
    lines = [
        f"# Request path benchmark ({connection.vendor}, {ROWS} identities, {REPEAT} calls each, in process)",
        "",
        "| call (DPI token) | queries (median) | queries (max) | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['label']} | {r['queries']} | {r['max_queries']} | {r['p50']:.2f} | {r['p95']:.2f} |" for r in results
    ]
    if connection.vendor == "postgresql":
        for label, qs in (
            ("birth name + birth date", patient_search(name=sample.birth_name, birth_date=sample.birth_date)),
            ("4-letter prefix, first 20", _first_page(patient_search(name=prefix), prefix)),
            ("by INS", patient_search(ins=MATRICULE)),
        ):
            sql, params = qs.query.sql_with_params()
            lines += ["", f"Plan of `{label}`:", "", "```", _explain(sql, list(params)), "```"]
    report = reports / "request_path.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return report
