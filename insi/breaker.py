"""The INSi circuit breaker (issue 14 item 12): after N transient failures in a row, no call for a while.

The state is one database row (``InsiBreaker``), so every process (web workers, ``insi_reverify``) sees the
same: the project has no cache server. Only transient failures count: a permanent one (certificate,
authorisation number) is a configuration error that waiting does not mend. When the delay is over, the next
call goes through: a success closes the breaker, a failure opens it again at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InsiUnavailable
from insi.models import InsiBreaker

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")


class BreakerOpen(InsiUnavailable):
    """INSi is not called until ``retry_at``: the screens say when to try again, at once."""

    def __init__(self, retry_at: datetime) -> None:
        self.retry_at = retry_at
        super().__init__(breaker_message(retry_at), code="insi_unavailable", details={"retry_at": retry_at.isoformat()})


def breaker_message(retry_at: datetime) -> str:
    """The agent's message, the time in Europe/Paris whatever the server's zone."""
    return f"Service INSi indisponible, réessayer à {retry_at.astimezone(PARIS):%H:%M}."


def _enabled() -> bool:
    return settings.INSI_BREAKER_THRESHOLD > 0


def _row() -> InsiBreaker:
    row, _ = InsiBreaker.objects.get_or_create(pk=InsiBreaker.SINGLETON_ID)
    return row


def breaker_open_until(*, now: datetime | None = None) -> datetime | None:
    """When calls may start again, or None when they may go now."""
    if not _enabled():
        return None
    row = InsiBreaker.objects.filter(pk=InsiBreaker.SINGLETON_ID).first()
    current = now or timezone.now()
    if row is None or row.open_until is None or row.open_until <= current:
        return None
    return row.open_until


def breaker_check() -> None:
    """Raise BreakerOpen while the breaker is open; say nothing otherwise."""
    until = breaker_open_until()
    if until is not None:
        raise BreakerOpen(until)


def breaker_record_success() -> None:
    """A call answered: reset the count, and close the breaker if it was open."""
    if not _enabled():
        return
    if not InsiBreaker.objects.filter(pk=InsiBreaker.SINGLETON_ID, consecutive_failures__gt=0).exists():
        return  # the common case writes nothing
    with transaction.atomic():
        row = InsiBreaker.objects.select_for_update().get(pk=InsiBreaker.SINGLETON_ID)
        was_open = row.opened_at is not None
        row.consecutive_failures, row.opened_at, row.open_until = 0, None, None
        row.save()
    if was_open:
        logger.warning("INSi circuit breaker closed: the teleservice answers again")


def breaker_record_failure(*, permanent: bool) -> None:
    """Count a transient failure; open the breaker at the threshold (and again after a failed trial call)."""
    if not _enabled() or permanent:
        return
    with transaction.atomic():
        _row()
        row = InsiBreaker.objects.select_for_update().get(pk=InsiBreaker.SINGLETON_ID)
        row.consecutive_failures += 1
        if row.consecutive_failures < settings.INSI_BREAKER_THRESHOLD:
            row.save()
            return
        now = timezone.now()
        row.opened_at = now
        row.open_until = now + timedelta(seconds=settings.INSI_BREAKER_DELAY)
        row.save()
    logger.warning(
        "INSi circuit breaker opened after %d transient failures: no call until %s",
        row.consecutive_failures,
        row.open_until.isoformat(),
    )
