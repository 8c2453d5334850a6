"""Fuzz the live API with schemathesis, once per role, on a fresh seeded PostgreSQL database (issue 11).

    python -m fuzz.run                       # every role; exit status 1 on any failure
    python -m fuzz.run --roles agent dpi     # some roles
    FUZZ_MAX_EXAMPLES=50 python -m fuzz.run  # more cases per operation

Steps: drop and create the database ``FUZZ_DATABASE_URL`` (default ``registry_fuzz`` on the local server),
migrate, seed it (``fuzz.seed``: demo identities, episodes, professionals, consents, identifiers, one token per
role), start gunicorn with DEBUG off on a free port, then run ``schemathesis run`` against ``/api/schema/`` with
each role's token, every check, a fixed seed and a bounded number of cases per operation. Path ids are drawn
from the seeded rows most of the time (so the runs reach past 404), random otherwise. The throttle rate is
raised for this server only: 429 is documented, but a run that is throttled tests nothing.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from fuzz.config import write_config
from fuzz.report import count_cases, role_operations

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLES = ["auditor", "agent", "dpi", "referent"]  # the read-only role first, the one that merges last
DEFAULT_URL = "postgres://root@127.0.0.1:5432/registry_fuzz"


def _fresh_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("fuzz: gunicorn stopped before serving")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:  # noqa: S310 - our own server
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("fuzz: gunicorn did not answer /readyz in time")


def _server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INSI_SIMULATOR_ALLOWED": "1",
        # 429 is documented in the schema; the fuzz server raises the rate so the runs test the API, not the throttle.
        "API_THROTTLE_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }


def _schema(schema_url: str, token: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{schema_url}?format=json", headers={"Authorization": f"Token {token}", "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.load(answer)


def _run_role(
    role: str, seeded: dict, schema_url: str, config: Path, args: argparse.Namespace, reports: Path
) -> tuple[int, int]:
    report = reports / f"{role}.ndjson"
    token = seeded["tokens"][role]
    # Only what the role may call: the others answer 403 to every case (test_roles_matrix covers them).
    operations = role_operations(_schema(schema_url, token), seeded["groups"][role])
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        schema_url,
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",  # not a gate: see fuzz/config.py
        "--seed",
        str(args.seed),
        "--max-examples",
        str(args.max_examples),
        "--workers",
        str(args.workers),
        "--generation-database",
        "none",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
        *[argument for name in operations for argument in ("--include-name", name)],
        *args.extra,
    ]
    print(f"== fuzz: role {role}", flush=True)
    started = time.monotonic()
    try:
        status = subprocess.run(command, cwd=ROOT, timeout=args.role_timeout, check=False).returncode  # noqa: S603
    except subprocess.TimeoutExpired:
        print(f"fuzz: role {role} ran past {args.role_timeout} s", flush=True)
        status = 124
    cases = count_cases(report)
    print(f"fuzz: role {role}: {cases} cases in {time.monotonic() - started:.0f} s, exit {status}", flush=True)
    return status, cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", nargs="*", default=ROLES, choices=ROLES)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "20261130")))
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "10")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("FUZZ_WORKERS", "1")))
    parser.add_argument("--role-timeout", type=int, default=int(os.environ.get("FUZZ_ROLE_TIMEOUT", "600")))
    parser.add_argument("--serve", action="store_true", help="Set up, print the server and wait (development).")
    parser.add_argument("extra", nargs="*", help="More schemathesis options, after --.")
    args = parser.parse_args(argv)
    database_url = os.environ.get("FUZZ_DATABASE_URL", DEFAULT_URL)
    env = _server_env(database_url)
    started = time.monotonic()

    print(f"== fuzz: fresh database {database_url.rpartition('/')[2]}", flush=True)
    _fresh_database(database_url)
    python = str(BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    seeded = json.loads(
        subprocess.run(  # noqa: S603
            [python, "-m", "fuzz.seed"], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", *(["--reload"] if args.serve else [])],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results: dict[str, tuple[int, int]] = {}
    try:
        _wait_ready(base, server)
        config = write_config(workdir, seeded)
        print(f"== fuzz: server ready in {time.monotonic() - started:.0f} s, reports in {workdir}", flush=True)
        if args.serve:
            (workdir / "seeded.json").write_text(json.dumps({**seeded, "base": base}))
            print(f"fuzz: serving {base}; seeded rows in {workdir / 'seeded.json'}", flush=True)
            server.wait()
        for role in args.roles:
            results[role] = _run_role(role, seeded, f"{base}/api/schema/", config, args, workdir)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    errors = [line for line in (workdir / "gunicorn.log").read_text().splitlines() if "Traceback" in line]
    print("== fuzz: cases per role: " + ", ".join(f"{role} {cases}" for role, (_, cases) in results.items()))
    print(f"== fuzz: {sum(cases for _, cases in results.values())} cases in {time.monotonic() - started:.0f} s")
    failed = [role for role, (status, _) in results.items() if status != 0]
    if errors:
        print(f"fuzz: the server logged {len(errors)} tracebacks (see {workdir / 'gunicorn.log'})")
    if failed or errors:
        print("fuzz: FAILED for " + ", ".join(failed or ["server errors"]))
        return 1
    print("fuzz: all roles green")
    return 0


if __name__ == "__main__":
    sys.exit(main())
