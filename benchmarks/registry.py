"""``make bench``: the registry at BENCH_N identities, as the DPI uses it, with the import and the duplicate scan.

1. Generate BENCH_N synthetic identities with ~3 % near-duplicates of known truth (benchmarks/generator.py).
2. Load them with ``import_identities`` (checks, duplicate check, history, IPPs, events): the import rate.
3. Serve the registry with gunicorn (gunicorn.conf.py) and time each DPI workload over loopback HTTP with
   the DPI role's API token, and the same SQL with psycopg alone (benchmarks/workloads.py).
4. Run the full duplicate scan in a child process (time, peak memory) and score it against the truth.
5. Write benchmarks/reports/report.md and report.json, each target marked met or missed, with the reason.

    BENCH_N=100000 make bench             # BENCH_REQUESTS=200 calls per workload
"""

import gc
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.report import write_reports

N = int(os.environ.get("BENCH_N", "10000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
SEED = int(os.environ.get("BENCH_SEED", "42"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _import(workdir: Path) -> tuple[dict[str, Any], list[dict[str, str]], dict[tuple[int, int], str]]:
    from django.db import connection

    from benchmarks.generator import generate, write
    from patients.bulk_import.runner import import_file

    start = time.perf_counter()
    data = generate(N, seed=SEED)
    write(data, workdir / "identities.csv", workdir / "truth.csv")
    generated = time.perf_counter() - start
    cpu_before = _cpu_seconds()
    summary = import_file(
        workdir / "identities.csv", actor=None, rejects=workdir / "rejects.csv", keep_duplicates=True, workers=None
    )
    cpu = _cpu_seconds() - cpu_before
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        {
            "generated_seconds": round(generated, 1),
            "rows": summary.read,
            "imported": summary.imported,
            "rejected": summary.rejected,
            "duplicates_flagged_and_kept": summary.duplicates_kept,
            "true_duplicates": len(data.truth),
            "seconds": round(summary.seconds, 1),
            "rows_per_second": round(summary.rate),
            "duplicate_check_seconds": round(summary.duplicate_seconds, 1),
            "write_seconds": round(summary.write_seconds, 1),
            "vacuum_analyze_seconds": round(summary.tidy_seconds, 1),
            # Client side only (this process and its workers; PostgreSQL's own work is not in it).
            "client_cpu_seconds": round(cpu, 1),
            "rows_per_client_cpu_second": round(summary.imported / cpu) if cpu else None,
        },
        data.rows,
        _truth_pairs(data.truth),
    )


def _truth_pairs(truth: list[dict[str, str]]) -> dict[tuple[int, int], str]:
    from patients.links import ExternalIdentifier

    pk = dict(ExternalIdentifier.objects.values_list("value", "patient_id"))
    pairs = {}
    for t in truth:
        a, b = pk.get(t["original_legacy_id"]), pk.get(t["duplicate_legacy_id"])
        if a and b:
            pairs[(min(a, b), max(a, b))] = t["mutation"]
    return pairs


def _people(rows: list[dict[str, str]], rng: random.Random) -> list[dict[str, Any]]:
    """A sample of imported people with an INS, with their public id, IPP and search key."""
    from patients.links import ExternalIdentifier

    chosen = rng.sample([r for r in rows if r["ins"]], min(REQUESTS, sum(1 for r in rows if r["ins"])))
    found = {
        value: (str(public_id), ipp, key)
        for value, public_id, ipp, key in ExternalIdentifier.objects.filter(
            value__in=[r["legacy_id"] for r in chosen]
        ).values_list("value", "patient__public_id", "patient__ipp", "patient__birth_name_key")
    }
    people = []
    for row in chosen:
        if row["legacy_id"] in found:
            public_id, ipp, key = found[row["legacy_id"]]
            people.append({**row, "id": public_id, "ipp": ipp, "birth_name_key": key})
    return people


def _newcomers(rng: random.Random) -> list[dict[str, Any]]:
    """New people to create; on a reused database (BENCH_KEEP_DB=1) not those an earlier run created."""
    from benchmarks.generator import generate
    from patients.models import Patient

    return generate(REQUESTS, seed=SEED + 1 + max(Patient.objects.count() - N, 0), duplicate_share=0).rows


def _serve(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=handle,
            cwd=Path(__file__).resolve().parent.parent,
        )
    import requests

    for _ in range(150):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: see {log}")


def _server_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # a throw-away key for a throw-away server
        "INSI_SIMULATOR_ALLOWED": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": os.environ.get("BENCH_GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)),
        "API_THROTTLE_RATE": "100000000/min",
        "LOG_LEVEL": "WARNING",
    }


def _warm_up(port: int, token: str, people: list[dict[str, Any]], workers: int) -> None:
    """Untimed: each worker's first API call imports the views and loads the token (a second, once). Calls
    made one at a time may all land on the same idle worker: these run side by side, twice the workers."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def calls(offset: int) -> None:
        for person in people[offset :: workers * 2][:5]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", f"/api/v1/patients/{person['id']}/", headers={"Authorization": f"Token {token}"})
            connection.getresponse().read()
            connection.close()

    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(calls, range(workers * 2)))


def _measure(people: list[dict[str, Any]], newcomers: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    from io import StringIO

    from django.core.management import call_command

    from benchmarks.workloads import Runner, workloads

    out = StringIO()
    call_command("create_api_account", "bench-dpi", stdout=out)
    token = out.getvalue().strip()
    port = _free_port()
    server = _serve(port, _server_env(port), workdir / "gunicorn.log")
    try:
        runner = Runner(base_url=f"http://127.0.0.1:{port}", token=token, database_url=os.environ["DATABASE_URL"])
        _warm_up(port, token, people, int(_server_env(port)["GUNICORN_WORKERS"]))
        rng = random.Random(SEED)
        results = {}
        for name, make in workloads(rng).items():
            sample = newcomers if name == "create_with_duplicate_check" else people
            results[name] = runner.run(name, make, sample).summary()
            print(f"  {name}: {results[name]}", flush=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _scan(truth: dict[tuple[int, int], str]) -> dict[str, Any]:
    from benchmarks.duplicates import quality, run_scan

    scan = run_scan(record=True)
    return {
        "seconds": round(scan["seconds"], 1),
        "peak_mb": round(scan["peak_mb"]),
        "identities": scan["seen"],
        "pairs": scan["pairs"],
        "quality_table": quality(truth),
    }


def _imported_before(reports: Path) -> tuple[dict[str, Any], list[dict[str, str]], dict[tuple[int, int], str]] | None:
    """BENCH_KEEP_DB=1 on a database that already holds the identities: the same data, regenerated (the
    generator is deterministic), and the import figures of the run that loaded it."""
    from benchmarks.generator import generate
    from patients.models import Patient

    saved = reports / f"import_{N}.json"
    if os.environ.get("BENCH_KEEP_DB") != "1" or not saved.exists() or Patient.objects.count() < N:
        return None
    data = generate(N, seed=SEED)
    imported = {**json.loads(saved.read_text(encoding="utf-8")), "reused_database": True}
    return imported, data.rows, _truth_pairs(data.truth)


def run(*, workdir: Path, reports: Path) -> Path:
    from django.db import connection

    load_before = _load_average()
    reused = _imported_before(reports)
    if reused:
        print(f"Reusing the {N} identities already imported (BENCH_KEEP_DB=1)...", flush=True)
        imported, rows, truth = reused
    else:
        print(f"Import of {N} identities...", flush=True)
        imported, rows, truth = _import(workdir)
        (reports / f"import_{N}.json").write_text(json.dumps(imported) + "\n", encoding="utf-8")
    print(f"  {imported}", flush=True)
    rng = random.Random(SEED)
    people = _people(rows, rng)
    # The data set (a million rows) stays in this process: out of the collector's sight, a full collection
    # cannot land inside a timed call (a pass over 1.5 GB of objects takes 100 ms and more).
    gc.collect()
    gc.freeze()
    print(f"HTTP workloads ({len(people)} people, {REQUESTS} calls each)...", flush=True)
    workloads = _measure(people, _newcomers(rng), workdir)
    print("Duplicate scan...", flush=True)
    scan = _scan(truth)
    report = {
        "n": N,
        "requests_per_workload": REQUESTS,
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": _load_average(),
        "import": imported,
        "workloads": workloads,
        "duplicate_scan": scan,
    }
    (reports / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return write_reports(report, reports)
