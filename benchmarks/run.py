"""Run every benchmark and write its report to benchmarks/reports/ (``make bench``).

The benchmarks use a throw-away SQLite database unless BENCH_DATABASE_URL names another one: they never
touch the development database.
"""

import os
import sys
import tempfile
from pathlib import Path

REPORTS = Path(__file__).resolve().parent / "reports"


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="registry-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "identity_registry.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("INSI_SIMULATOR_ALLOWED", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from benchmarks import insi_reverify

    REPORTS.mkdir(exist_ok=True)
    report = insi_reverify.run(workdir=workdir, reports=REPORTS)
    print(f"Rapport écrit : {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
