"""Times as agents read them: in the screens' time zone (Europe/Paris, settings.TIME_ZONE), never in UTC.

The database keeps UTC. Templates and the admin's columns convert by themselves; a ``__str__``, a message or an
f-string does not, so a datetime formatted in Python goes through one of these.
"""

from datetime import datetime

from django.utils import timezone


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def local_datetime(value: datetime | None) -> str:
    """``JJ/MM/AAAA HH:MM`` in the local time zone; empty when there is no value."""
    return f"{_local(value):%d/%m/%Y %H:%M}" if value is not None else ""


def local_date(value: datetime | None) -> str:
    """``JJ/MM/AAAA``, the local day of an instant (23:30 UTC is already the next day in Paris)."""
    return f"{_local(value):%d/%m/%Y}" if value is not None else ""
