"""CPU of the API request path (issue 10): milliseconds of this process's CPU per DPI call, no network, no server.

Each call goes through Django's WSGI handler with a crafted environ (every middleware, DRF, the token, the
view, the access log, the JSON), as gunicorn would hand it over, with DEBUG off. The CPU time
(``time.process_time``) is what the registry's Python spends per request; PostgreSQL's own work is not in it.
The function calls per request (cProfile) give a figure that does not move with the machine's load, and the
queries per request are captured once per workload.

    BENCH_CPU_N=10000 BENCH_CPU_REQUESTS=300 python -m benchmarks.run request_cpu
"""

import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

N = int(os.environ.get("BENCH_CPU_N", "10000"))
REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "300"))
SEED = int(os.environ.get("BENCH_SEED", "42"))
SEARCH = "/api/v1/patients/search/"


class _Caller:
    """Calls the WSGI application in process, as the DPI's token."""

    def __init__(self, token: str) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.token = token
        self.application = WSGIHandler()

    def __call__(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> int:
        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Token {self.token}",
            "HTTP_ACCEPT": "*/*",
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if body is not None:
            environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(data)))
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        chunks = self.application(environ, lambda s, h, exc_info=None: status.append(s))
        b"".join(chunks)
        chunks.close()
        return int(status[0].split()[0])


def _workloads(call: _Caller, newcomers: list[dict[str, str]]) -> dict[str, Callable[[dict[str, Any]], int]]:
    from benchmarks.workloads import _create_body

    fresh = iter(newcomers)
    return {
        "GET one identity": lambda p: call("GET", f"/api/v1/patients/{p['id']}/"),
        "search by INS": lambda p: call("POST", SEARCH, {"ins": p["ins"]}),
        "birth name + birth date": lambda p: call(
            "POST", SEARCH, {"name": p["birth_name"], "birth_date": p["birth_date"]}
        ),
        "4-letter prefix": lambda p: call("POST", SEARCH, {"name": p["birth_name_key"][:4]}),
        "create with duplicate check and Idempotency-Key": lambda p: call(
            "POST", "/api/v1/patients/", _create_body(next(fresh)), {"Idempotency-Key": str(uuid.uuid4())}
        ),
    }


def _measure(make: Callable[[dict[str, Any]], int], people: list[dict[str, Any]]) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for person in people[:10]:  # warm: the token cached, the IPP block taken, statements compiled
        assert make(person) in (200, 201)
    connection.queries_log.clear()  # a bounded deque: full (the import), the capture would come back empty
    with CaptureQueriesContext(connection) as captured:
        make(people[10])
    queries = len(captured)  # now: the next request clears the log
    sample = [people[i % len(people)] for i in range(REQUESTS)]
    start = time.process_time()
    statuses = [make(person) for person in sample]
    cpu_ms = (time.process_time() - start) * 1000 / len(sample)
    profile = cProfile.Profile()
    profile.enable()
    profiled = sample[:50]
    for person in profiled:
        make(person)
    profile.disable()
    return {
        "errors": sum(status >= 400 for status in statuses),
        "cpu_ms": cpu_ms,
        "calls": pstats.Stats(profile).total_calls / len(profiled),
        "queries": queries,
    }


def run(*, workdir: Path, reports: Path) -> Path:
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks.generator import generate, write
    from benchmarks.registry import _people
    from patients.bulk_import.runner import import_file

    settings.DEBUG = False  # as served (make bench starts this process with DEBUG=1)
    data = generate(N, seed=SEED)
    write(data, workdir / "identities.csv", workdir / "truth.csv")
    import_file(workdir / "identities.csv", actor=None, rejects=workdir / "rejects.csv", keep_duplicates=True)
    out = io.StringIO()
    call_command("create_api_account", "bench-cpu", stdout=out)
    people = _people(data.rows, random.Random(SEED))
    newcomers = generate(REQUESTS + 100, seed=SEED + 1, duplicate_share=0).rows
    results = {
        label: _measure(make, people) for label, make in _workloads(_Caller(out.getvalue().strip()), newcomers).items()
    }
    lines = [
        f"# CPU of the request path ({N} identities, {REQUESTS} calls each, in process, DEBUG off)",
        "",
        "| call (DPI token) | CPU ms per request | Python function calls per request | queries | errors |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {label} | {r['cpu_ms']:.2f} | {r['calls']:.0f} | {r['queries']} | {r['errors']} |"
        for label, r in results.items()
    ]
    report = reports / "request_cpu.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return report
