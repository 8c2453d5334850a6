"""The DPI's calls measured by ``make bench``: one request per sampled person, over loopback HTTP and as raw SQL.

Each workload turns a person of the data set into one API call. The call is timed through gunicorn (what
the DPI sees); the same call, made once in-process under ``CaptureQueriesContext``, gives the queries per
request and the exact SQL, which is then replayed with psycopg alone (in a transaction rolled back), so the
report can show what the HTTP, Django and DRF layers add on top of the database.
"""

import http.client
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from benchmarks.duplicates import _typo

# The wrapper's own statements: its savepoints and the ROLLBACK that undoes the captured call.
SKIPPED_SQL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "ROLLBACK")


class _RolledBack(Exception):
    pass


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None
    expected: str | None = None  # the public id that should be on the first page of a search


@dataclass
class Result:
    name: str
    http_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    found: list[bool] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, Any]:
        def pct(values: list[float], q: float) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return round(ordered[min(int(len(ordered) * q), len(ordered) - 1)], 2)

        http50, sql50 = pct(self.http_ms, 0.5), pct(self.sql_ms, 0.5)
        return {
            "requests": len(self.http_ms),
            "errors": self.errors,
            "http_p50_ms": http50,
            "http_p95_ms": pct(self.http_ms, 0.95),
            "http_p99_ms": pct(self.http_ms, 0.99),
            "sql_p50_ms": sql50,
            "sql_p95_ms": pct(self.sql_ms, 0.95),
            "sql_p99_ms": pct(self.sql_ms, 0.99),
            "overhead_ratio": round(http50 / sql50, 1) if http50 and sql50 else None,
            "queries_per_request": round(statistics.mean(self.queries), 1) if self.queries else None,
            "first_page_share": round(sum(self.found) / len(self.found), 4) if self.found else None,
        }


def _search(body: dict[str, Any], expected: str) -> Call:
    return Call("POST", "/api/v1/patients/search/", body, expected)


def workloads(rng: random.Random) -> dict[str, Callable[[dict[str, Any]], Call]]:
    """name -> how a person (a row of the data set, with its public id and IPP) becomes one call."""

    def misspelled(p: dict[str, Any]) -> Call:
        # The box that forgives typing (TR-05, ST-11): free text, one typo in the birth name, the first name.
        return _search({"q": f"{_typo(rng, p['birth_name'].upper())} {p['first_name']}"}, p["id"])

    return {
        "get_by_id": lambda p: Call("GET", f"/api/v1/patients/{p['id']}/"),
        "ins": lambda p: _search({"ins": p["ins"]}, p["id"]),
        "ipp": lambda p: _search({"ipp": p["ipp"]}, p["id"]),
        "birth_name_birth_date": lambda p: _search({"name": p["birth_name"], "birth_date": p["birth_date"]}, p["id"]),
        "name_first_name": lambda p: _search({"name": p["birth_name"], "first_name": p["first_name"]}, p["id"]),
        "quick_full_name": lambda p: _search({"q": f"{p['birth_name']} {p['first_name']}"}, p["id"]),
        "prefix_4_letters": lambda p: _search({"name": p["birth_name_key"][:4]}, p["id"]),
        "misspelled_name": misspelled,
        "create_with_duplicate_check": lambda p: Call("POST", "/api/v1/patients/", _create_body(p)),
    }


def _create_body(p: dict[str, Any]) -> dict[str, Any]:
    body = {k: p[k] for k in ("birth_name", "first_name", "first_names", "sex", "birth_date", "birthplace_cog")}
    return {k: v for k, v in body.items() if v}


def _on_first_page(payload: Any, expected: str | None) -> bool | None:
    if expected is None:
        return None
    results = payload.get("results", []) if isinstance(payload, dict) else []
    return any(item.get("id") == expected for item in results)


class Runner:
    """Times each call over HTTP, then captures and replays its SQL."""

    def __init__(self, *, base_url: str, token: str, database_url: str) -> None:
        import psycopg
        from django.test import Client

        self.base_url = base_url
        self.token = token
        self.connection: http.client.HTTPConnection | None = None
        self.client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
        self.sql = psycopg.connect(database_url)

    def _http(self, call: Call) -> tuple[float, Any, int]:
        """One call with the standard library's client: what the registry costs, not a client library (the
        ``requests`` package alone adds about 1.4 ms of this process's CPU per call). gunicorn's sync workers
        close each connection, so every call opens its own, as a DPI without keep-alive would."""
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        if call.path == "/api/v1/patients/":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        body = json.dumps(call.body).encode() if call.body is not None else None
        start = time.perf_counter()
        if self.connection is None:
            self.connection = http.client.HTTPConnection(urlsplit(self.base_url).netloc, timeout=30)
        try:
            self.connection.request(call.method, call.path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        elapsed = (time.perf_counter() - start) * 1000
        if response.will_close:
            self.connection.close()
            self.connection = None
        is_json = (response.getheader("Content-Type") or "").startswith("application/json")
        return elapsed, json.loads(content) if is_json and content else None, response.status

    def _captured(self, call: Call) -> list[str]:
        """The SQL of the call, made in-process in a transaction rolled back (its writes leave no trace)."""
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())} if call.path == "/api/v1/patients/" else {}
        connection.queries_log.clear()  # the log is a bounded deque: full, the capture would come back empty
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                if call.method == "GET":
                    self.client.get(call.path, **headers)
                else:
                    self.client.post(call.path, call.body, content_type="application/json", **headers)
                raise _RolledBack
        except _RolledBack:
            pass
        # Savepoints come from the rolled-back wrapper (a real request opens its transactions with BEGIN, unlogged).
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(SKIPPED_SQL)]

    def _replay(self, statements: list[str]) -> float | None:
        start = time.perf_counter()
        try:
            with self.sql.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)  # no parameters: psycopg sends it as is
                    if cursor.description:
                        cursor.fetchall()
            elapsed = (time.perf_counter() - start) * 1000
        except Exception:
            elapsed = None
        self.sql.rollback()
        return elapsed

    def run(self, name: str, make: Callable[[dict[str, Any]], Call], people: list[dict[str, Any]]) -> Result:
        result = Result(name)
        for person in people:
            call = make(person)
            # Captured first (rolled back): captured after the HTTP call, a create would find the identity that
            # call just made and record it as a suspected duplicate, queries the timed call never ran.
            statements = self._captured(call)
            elapsed, payload, status = self._http(call)
            if status >= 400:
                result.errors += 1
                continue
            result.http_ms.append(elapsed)
            found = _on_first_page(payload, call.expected)
            if found is not None:
                result.found.append(found)
            result.queries.append(len(statements))
            replayed = self._replay(statements)
            if replayed is not None:
                result.sql_ms.append(replayed)
        return result
