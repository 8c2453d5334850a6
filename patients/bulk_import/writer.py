"""Write an import's batches on a thread of their own, so the next batch is checked while the database writes.

The thread has its own connection and commits each batch in file order, one batch in flight: a run killed
at any point has committed a prefix of its batches, and the next run skips them (AUD-05, exactly once).
Called inside a transaction (a caller's, or a test's), the batches belong to it: they are written there,
in turn, since another connection could neither see nor join it; on SQLite too.
"""

import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, connections

from patients.bulk_import.rows import CheckedRow
from patients.bulk_import.services import identities_import_batch


class BatchWriter:
    def __init__(self, *, actor: Any, authority: Any) -> None:
        self.actor = actor
        self.authority = authority
        self.seconds = 0.0
        # SQLite serialises its writers (and locks its tables between connections): no thread to gain there.
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._thread = ThreadPoolExecutor(1, "import-writer") if threaded else None
        self._in_flight: Future | None = None

    def _write(self, rows: list[CheckedRow]) -> None:
        started = time.perf_counter()
        identities_import_batch(actor=self.actor, authority=self.authority, rows=rows)
        self.seconds += time.perf_counter() - started

    def write(self, rows: list[CheckedRow]) -> None:
        """Write ``rows`` once the batch before them has committed (its error, if any, is raised here)."""
        if self._thread is None:
            self._write(rows)
            return
        self.wait()
        self._in_flight = self._thread.submit(self._write, rows)

    def wait(self) -> None:
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            in_flight.result()

    def close(self) -> None:
        """Wait for the last batch, then close the thread's connection (also after an error)."""
        if self._thread is None:
            return
        try:
            self.wait()
        finally:
            self._thread.submit(connections.close_all).result()
            self._thread.shutdown()
