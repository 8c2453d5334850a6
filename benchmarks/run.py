"""Run every benchmark, each on a throw-away database, and write its report under benchmarks/reports/.

``make bench`` runs the registry benchmark (benchmarks/registry.py); ``make bench-all`` runs them all. Each
benchmark gets a fresh database ``<name>_bench_<benchmark>`` on the PostgreSQL server of BENCH_DATABASE_URL
(created and dropped around the run; the database named in the URL is never touched). BENCH_DATABASE_URL
defaults to DATABASE_URL when that is PostgreSQL, else to postgres://root@127.0.0.1:5432/registry; set it to
``sqlite`` for a SQLite file instead.

    python -m benchmarks.run                  # all
    python -m benchmarks.run search           # one
"""

import importlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPORTS = Path(__file__).resolve().parent / "reports"
BENCHMARKS = ["registry", "search", "insi_reverify", "duplicates", "birthplaces", "request_path", "request_cpu"]
DEFAULT_URL = "postgres://root@127.0.0.1:5432/registry"


def bench_database_url() -> str:
    """BENCH_DATABASE_URL, else DATABASE_URL when it is PostgreSQL, else the local server's ``registry``."""
    explicit = os.environ.get("BENCH_DATABASE_URL", "")
    if explicit:
        return explicit
    current = os.environ.get("DATABASE_URL", "")
    return current if current.startswith("postgres") else DEFAULT_URL


def _database_url(name: str, workdir: Path) -> tuple[str, str | None]:
    """Return the URL to use and, on PostgreSQL, the database to drop afterwards.

    BENCH_KEEP_DB=1 keeps the database (``<name>_bench_<benchmark>_<BENCH_N>``) and reuses it next time: the
    registry benchmark then skips the import when the identities are there (a run at 1M takes minutes).
    """
    base = bench_database_url()
    if not base.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}", None
    import psycopg

    server, _, dbname = base.rpartition("/")
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    target = f"{dbname or 'registry'}_bench_{name}" + (f"_{os.environ.get('BENCH_N', '10000')}" if keep else "")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if not (keep and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}"')
    return f"{server}/{target}", None if keep else target


def _drop(target: str | None) -> None:
    if target:
        import psycopg

        server = bench_database_url().rpartition("/")[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def run_one(name: str) -> int:
    """Run one benchmark in this process (called in a child process by ``main``)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"registry-bench-{name}-"))
    url, target = _database_url(name, workdir)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "identity_registry.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("INSI_SIMULATOR_ALLOWED", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("API_THROTTLE_RATE", "100000000/min")  # the benchmarks call the API without pause
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        REPORTS.mkdir(exist_ok=True)
        module = importlib.import_module(f"benchmarks.{name}")
        report = module.run(workdir=workdir, reports=REPORTS)
        print(f"Rapport écrit : {report}")
        connections.close_all()
    finally:
        _drop(target)
    return 0


def main(names: list[str]) -> int:
    failed = 0
    for name in names or BENCHMARKS:
        print(f"== benchmark {name}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", "benchmarks.run", "--one", name])  # noqa: S603
    return failed


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        sys.exit(run_one(sys.argv[2]))
    sys.exit(main(sys.argv[1:]))
