"""Benchmark: ``insi_reverify`` on 10,000 qualified identities against the in-process simulator (ST-08)."""

import json
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from insi.selectors import patients_due_for_reverification
from patients.ins import OID_NIR, ins_key
from patients.ipp import allocate_ipps
from patients.models import Patient
from patients.traits import search_key

COUNT = 10_000


def _name(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "BENCH" + "".join(letters[(n // 26**i) % 26] for i in range(3))


def seed(workdir: Path, count: int = COUNT) -> Path:
    """Create ``count`` QUAL identities due for re-verification and the simulator file that knows them."""
    people, patients = [], []
    checked_long_ago = timezone.now() - timedelta(days=settings.INS_REVERIFY_AFTER_DAYS + 30)
    for n in range(count):
        sex = "M" if n % 2 else "F"
        birth = date(1940 + n % 60, 1 + n % 12, 1 + n % 28)
        body = f"{1 if sex == 'M' else 2}{birth:%y%m}75{n % 1000:03d}{n // 1000:03d}"
        matricule = body + ins_key(body)
        name = _name(n)
        people.append(
            {
                "traits": {
                    "birth_name": name,
                    "first_names": "CLAUDE",
                    "sex": sex,
                    "birth_date": birth.isoformat(),
                    "birthplace_cog": "75056",
                },
                "ins": {"matricule": matricule, "oid": OID_NIR},
            }
        )
        # Seeding only: a benchmark fixture, not product code, so the rows are written in bulk.
        patients.append(
            Patient(
                birth_name=name,
                first_name="CLAUDE",
                first_names="CLAUDE",
                sex=sex,
                birth_date=birth,
                birthplace_cog="75056",
                ins_matricule=matricule,
                ins_oid=OID_NIR,
                ins_verified=True,
                ins_verified_at=checked_long_ago,
                document_checked=True,
                document_checked_at=checked_long_ago,
                status="QUAL",
                birth_name_key=search_key(name),
                first_names_key="CLAUDE|CLAUDE",
            )
        )
    for patient, ipp in zip(patients, allocate_ipps(len(patients)), strict=True):
        patient.ipp = ipp
    Patient.objects.bulk_create(patients, batch_size=1000)
    path = workdir / "bench-people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": people}), encoding="utf-8")
    return path


def run(*, workdir: Path, reports: Path) -> Path:
    data = seed(workdir)
    settings.INSI_SIMULATOR_DATA = str(data)
    settings.INSI_CLIENT = "insi.backends.simulator.SimulatorClient"
    # SQLite serialises writers: parallel workers would only wait on its lock.
    concurrency = 1 if connection.vendor == "sqlite" else settings.INSI_REVERIFY_CONCURRENCY
    due = patients_due_for_reverification().count()
    out = StringIO()
    started = time.perf_counter()
    call_command("insi_reverify", concurrency=concurrency, rate=0, stdout=out)
    elapsed = time.perf_counter() - started
    summary = out.getvalue().strip()
    remaining = patients_due_for_reverification().count()
    report = reports / f"insi_reverify-{timezone.now():%Y%m%d-%H%M%S}.md"
    report.write_text(
        "\n".join(
            [
                "# Benchmark insi_reverify (ST-08)",
                "",
                f"- identities due: {due}",
                f"- database: {connection.vendor}",
                f"- concurrency: {concurrency}, rate limit: none",
                f"- elapsed: {elapsed:.1f} s ({due / elapsed:.0f} verifications/s)",
                f"- still due afterwards: {remaining}",
                f"- command summary: {summary}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    print(summary)
    return report
