"""Read locust's CSV statistics and write benchmarks/reports/load.md."""

import csv
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


@dataclass(frozen=True)
class StepResult:
    users: int
    stats: dict[str, Row]


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(path: Path) -> dict[str, Row]:
    """Rows of locust's ``*_stats.csv`` by request name; ``total`` is locust's Aggregated row."""
    rows = {}
    if not path.exists():
        raise SystemExit(f"locust wrote no statistics ({path}): see its log beside it")
    with path.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            name = "total" if line["Name"] == "Aggregated" else line["Name"]
            rows[name] = Row(
                name=name,
                count=int(line["Request Count"]),
                failures=int(line["Failure Count"]),
                p50=_number(line["50%"]),
                p95=_number(line["95%"]),
                p99=_number(line["99%"]),
                rps=_number(line["Requests/s"]),
            )
    return rows


def _table(rows: list[Row]) -> list[str]:
    lines = ["| requests | count | failures | p50 ms | p95 ms | p99 ms | req/s |", "|---|---|---|---|---|---|---|"]
    lines += [
        f"| {r.name} | {r.count} | {r.failures} | {r.p50:.0f} | {r.p95:.0f} | {r.p99:.0f} | {r.rps:.1f} |" for r in rows
    ]
    return lines


def _loadavg() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write_report(path: Path, *, cfg: dict, timings: dict, mixed: dict[str, Row], steps: list, target_ms: int) -> None:
    total = mixed["total"]
    held = [s for s in steps if s.stats["total"].p95 < target_ms and not s.stats["total"].failures]
    best = max(held, key=lambda s: s.stats["total"].rps, default=None)
    cores = os.cpu_count()
    workers = os.environ.get("GUNICORN_WORKERS", f"{(cores or 1) * 2 + 1} (2 x cores + 1)")
    data = (
        "reused from an earlier run (LOAD_KEEP_DB=1)"
        if timings["reused"]
        else f"loaded in {timings['load_seconds']:.0f} s (`benchmarks/load/data.py`)"
    )
    lines = [
        "# Load test (`make load`, issue 10)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {cores} cores shared by gunicorn, "
        f"PostgreSQL and locust itself (locust's own CPU use lowers the figures). gunicorn: {workers} sync "
        f"workers, `gunicorn.conf.py`, DEBUG off, API throttling raised out of the way. Load average of the "
        f"machine before the run: {timings.get('loadavg_before', '?')}, after: {_loadavg()} (other work on the "
        "machine takes CPU from the run: compare with the number of cores).",
        f"{timings['identities']} identities ({data}). Traffic: 70 % search (half free text `q`, half "
        "name + birth date), 20 % read by id, 10 % creation (with its duplicate check, ST-11).",
        "",
        f"## Desk agents: {cfg['users']} users, 0.5-2 s between actions, {cfg['duration']}",
        "",
        *_table([mixed[k] for k in ("search", "read", "write", "total") if k in mixed]),
        "",
        f"Target p95 < {target_ms} ms: {_verdict(total.p95 < target_ms)} ({total.p95:.0f} ms). "
        f"Target 0 errors: {_verdict(total.failures == 0)} ({total.failures}).",
        "",
        f"## Saturation: users without think time, {cfg['step_duration']} per step",
        "",
        "| users | requests | failures | p50 ms | p95 ms | req/s |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {s.users} | {s.stats['total'].count} | {s.stats['total'].failures} | {s.stats['total'].p50:.0f} "
        f"| {s.stats['total'].p95:.0f} | {s.stats['total'].rps:.1f} |"
        for s in steps
    ]
    if best is None:
        lines += ["", f"No step held p95 < {target_ms} ms without errors." if steps else "", ""]
    else:
        rps = best.stats["total"].rps
        lines += [
            "",
            f"Most requests per second held with p95 < {target_ms} ms and no error: **{rps:.0f} req/s** "
            f"({best.users} users). Target >= 200 req/s on 2 cores: {_verdict(rps >= 200)}.",
            "",
        ]
    lines += [
        "Run again: `make load` (LOAD_N=1000000 for the issue's figure; LOAD_KEEP_DB=1 keeps the data for the "
        "next run). Settings are described in `benchmarks/load/run.py`.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
