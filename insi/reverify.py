"""Batch re-verification of qualified INS (RNIV ST-08): bounded concurrency, rate limit, resumable.

Resumable by construction: a patient is verified only while the selector still lists it as due, and a
successful check moves its date forward, so a restarted batch never verifies anyone twice.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections
from django.utils import timezone

from identity_registry.exceptions import ApplicationError
from insi.breaker import BreakerOpen, breaker_open_until
from insi.client import InsiClient
from insi.models import InsiCall
from insi.selectors import patients_due_for_reverification
from insi.services import insi_verify_patient

logger = logging.getLogger(__name__)
VERIFIED, CHANGED, FAILED, SKIPPED = "verified", "changed", "failed", "skipped"
# An arbitrary, fixed key for PostgreSQL's advisory lock: one re-verification batch at a time.
BATCH_LOCK_KEY = 0x494E5349  # "INSI"


class BatchAlreadyRunning(Exception):
    """Another insi_reverify batch holds the lock."""


@contextmanager
def single_batch() -> Iterator[None]:
    """Hold a session-level lock so two batches never verify the same identities at once (PostgreSQL).

    Resumption needs no lock (a verified identity is no longer due); two batches running together would
    both see the same identities as due before either verifies them. SQLite serialises writers anyway.
    """
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [BATCH_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise BatchAlreadyRunning
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [BATCH_LOCK_KEY])


class RateLimiter:
    """At most ``rate`` starts per second across threads (0 means no limit)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_start = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            time.sleep(start - now)


@dataclass
class ReverifyBatch:
    actor: Any
    client: InsiClient
    concurrency: int = 1
    rate: float = 0.0
    on_progress: Callable[[str], None] | None = None
    on_pause: Callable[[datetime], None] | None = None

    def __post_init__(self) -> None:
        self.pauses = 0
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.limiter = RateLimiter(self.rate)
        self.stop = threading.Event()

    def _pause(self, until: datetime) -> None:
        """Wait for the breaker to close instead of piling up failed calls (issue 14 item 12)."""
        with self.lock:
            self.pauses += 1
        logger.info("INSi re-verification paused until %s (circuit breaker open)", until.isoformat())
        if self.on_pause:
            self.on_pause(until)
        self.stop.wait(max(0.0, (until - timezone.now()).total_seconds()))

    def verify_one(self, patient_id: int) -> str:
        # Still due? Another run, or an agent, may have verified it since the batch was listed.
        if not patients_due_for_reverification().filter(pk=patient_id).exists():
            return SKIPPED
        while not self.stop.is_set():
            until = breaker_open_until()
            if until is not None:
                self._pause(until)
                continue
            self.limiter.wait()
            try:
                outcome = insi_verify_patient(
                    actor=self.actor,
                    patient=patient_id,
                    reason="Re-vérification périodique (ST-08)",
                    client=self.client,
                )
            except BreakerOpen:
                continue  # opened by another worker meanwhile: wait like the others
            except ApplicationError:
                return FAILED
            return VERIFIED if outcome.outcome == InsiCall.Outcome.VERIFIED else CHANGED
        return SKIPPED

    def _record(self, result: str) -> None:
        with self.lock:
            self.counts[result] += 1
        if self.on_progress:
            self.on_progress(result)

    def _worker(self, work: queue.Queue[int]) -> None:
        try:
            while not self.stop.is_set():
                try:
                    patient_id = work.get_nowait()
                except queue.Empty:
                    return
                self._record(self.verify_one(patient_id))
        finally:
            connections.close_all()

    def run(self, patient_ids: list[int]) -> Counter[str]:
        """Verify the listed patients; KeyboardInterrupt stops cleanly, keeping every finished check."""
        if self.concurrency <= 1:
            for patient_id in patient_ids:
                self._record(self.verify_one(patient_id))
            return self.counts
        work: queue.Queue[int] = queue.Queue()
        for patient_id in patient_ids:
            work.put(patient_id)
        threads = [threading.Thread(target=self._worker, args=(work,), daemon=True) for _ in range(self.concurrency)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)
        except KeyboardInterrupt:
            self.stop.set()
            for thread in threads:
                thread.join()
            raise
        return self.counts
