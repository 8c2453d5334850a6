"""``make load``: LOAD_N identities, the registry under gunicorn, locust's mixed traffic, then a saturation ramp.

Steps: a fresh PostgreSQL database (LOAD_DATABASE_URL), migrated and filled (``data.load_identities``), one
API account per simulated agent, gunicorn (gunicorn.conf.py) on 127.0.0.1:LOAD_PORT; locust headless with
think time (the desk-agent run), then steps of users without think time until p95 passes 100 ms; the
report goes to benchmarks/reports/load.md and the servers are stopped. Every loop is bounded in time and
only the loopback address is used. Settings (environment, ``make load LOAD_N=...``):

    LOAD_N=100000            identities (the issue's figure is 1000000)
    LOAD_USERS=50 LOAD_SPAWN_RATE=10 LOAD_DURATION=2m     the desk-agent run (0.5-2 s between actions)
    LOAD_SATURATION_USERS=2,4,8,16,32 LOAD_STEP_DURATION=30s   the ramp (no think time); empty: no ramp
    LOAD_DATABASE_URL=postgres://root@127.0.0.1:5432/registry_load   dropped at the end unless LOAD_KEEP_DB=1
    LOAD_KEEP_DB=1           keep the database, and reuse it next time if it holds LOAD_N identities
    LOAD_PORT=8765  GUNICORN_WORKERS (gunicorn.conf.py: 2 x cores + 1)
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.load.report import StepResult, read_stats, write_report

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REPORT = ROOT / "benchmarks" / "reports" / "load.md"
P95_TARGET_MS = 100


def env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


def config() -> dict:
    return {
        "n": int(env("LOAD_N", "100000")),
        "users": int(env("LOAD_USERS", "50")),
        "spawn_rate": env("LOAD_SPAWN_RATE", "10"),
        "duration": env("LOAD_DURATION", "2m"),
        "steps": [int(u) for u in os.environ.get("LOAD_SATURATION_USERS", "2,4,8,16,32").split(",") if u.strip()],
        "step_duration": env("LOAD_STEP_DURATION", "30s"),
        "database_url": env("LOAD_DATABASE_URL", "postgres://root@127.0.0.1:5432/registry_load"),
        "keep_db": os.environ.get("LOAD_KEEP_DB") == "1",
        "port": int(env("LOAD_PORT", "8765")),
    }


def server_env(database_url: str) -> dict[str, str]:
    """The registry's environment: production settings, a throw-away key, throttling out of the way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INSI_SIMULATOR_ALLOWED": "1",  # no INSi call in this traffic; the system check wants a choice
        # One account per simulated agent; the ramp's users act without pause, far above a person's pace.
        "API_THROTTLE_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(cfg: dict, senv: dict[str, str], workdir: Path) -> dict:
    """Create (or reuse), migrate and fill the database; write the sample file; return timings."""
    import psycopg

    server, _, dbname = cfg["database_url"].rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        reuse = bool(exists) and cfg["keep_db"]
        if not reuse:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
    os.environ.update(senv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "identity_registry.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.load import data
    from patients.models import Patient

    call_command("migrate", verbosity=0, interactive=False)
    timings = {"reused": False, "load_seconds": 0.0}
    present = Patient.objects.count()
    if reuse and present >= cfg["n"]:
        timings["reused"] = True
    else:
        if present:
            raise SystemExit(f"{dbname} holds {present} identities, not {cfg['n']}: drop it or unset LOAD_KEEP_DB")
        start = time.monotonic()
        data.load_identities(cfg["n"], workdir)
        timings["load_seconds"] = time.monotonic() - start
    timings["identities"] = Patient.objects.count()
    tokens = data.create_accounts(cfg["users"])
    data.write_sample(workdir / "sample.json", tokens=tokens)
    connections.close_all()
    return timings


def drop_database(cfg: dict) -> None:
    import psycopg

    server, _, dbname = cfg["database_url"].rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def start_gunicorn(cfg: dict, senv: dict[str, str], workdir: Path) -> subprocess.Popen:
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env={**senv, "GUNICORN_BIND": f"127.0.0.1:{cfg['port']}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {workdir / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cfg['port']}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not become ready in 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_locust(cfg: dict, workdir: Path, *, label: str, users: int, spawn_rate: str, duration: str, think: bool):
    prefix = workdir / label
    command = [
        str(BIN / "locust"),
        *("-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless", "--only-summary"),
        *("-u", str(users), "-r", spawn_rate, "-t", duration, "--stop-timeout", "10"),
        *("--host", f"http://127.0.0.1:{cfg['port']}", "--csv", str(prefix), "--loglevel", "WARNING"),
    ]
    locust_env = {**os.environ, "LOAD_SAMPLE": str(workdir / "sample.json"), "LOAD_THINK": "1" if think else "0"}
    with (workdir / f"{label}.log").open("w") as log:
        # Exit code 1 only says some requests failed: the report shows the failures.
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    return read_stats(Path(f"{prefix}_stats.csv"))


def main() -> int:
    cfg = config()
    senv = server_env(cfg["database_url"])
    workdir = Path(tempfile.mkdtemp(prefix="registry-load-"))
    print(f"load: {cfg['n']} identities in {cfg['database_url'].rpartition('/')[2]} (work files in {workdir})")
    loadavg = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    timings = prepare_database(cfg, senv, workdir)
    timings["loadavg_before"] = loadavg
    print(f"load: data ready ({timings})")
    server = start_gunicorn(cfg, senv, workdir)
    steps: list[StepResult] = []
    try:
        print(f"load: desk-agent run, {cfg['users']} users for {cfg['duration']}")
        mixed = run_locust(
            cfg,
            workdir,
            label="mixed",
            users=cfg["users"],
            spawn_rate=cfg["spawn_rate"],
            duration=cfg["duration"],
            think=True,
        )
        for users in cfg["steps"]:
            print(f"load: saturation step, {users} users without pause for {cfg['step_duration']}")
            stats = run_locust(
                cfg,
                workdir,
                label=f"step_{users}",
                users=users,
                spawn_rate=str(users),
                duration=cfg["step_duration"],
                think=False,
            )
            steps.append(StepResult(users=users, stats=stats))
            if stats["total"].p95 >= P95_TARGET_MS or stats["total"].failures:
                break  # past saturation: more users only queue
    finally:
        stop(server)
        if not cfg["keep_db"]:
            drop_database(cfg)
    write_report(REPORT, cfg=cfg, timings=timings, mixed=mixed, steps=steps, target_ms=P95_TARGET_MS)
    print(REPORT.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
