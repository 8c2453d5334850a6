"""Where document scans are kept (RNIV ID-09): a private directory, under random names.

``PRIVATE_MEDIA_ROOT`` is outside the static and media files and no URL maps to it: a scan is read only
through the views that check the permission and log the access (AUD-03). The name on disk is random and
says nothing about the patient.
"""

import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateScanStorage(FileSystemStorage):
    """File storage rooted at ``settings.PRIVATE_MEDIA_ROOT`` (read at each use), with no URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A document scan has no public URL (RNIV ID-09).")


_storage = PrivateScanStorage()


def scan_storage() -> PrivateScanStorage:
    """The storage of the scans (a callable, so migrations do not freeze a path)."""
    return _storage


def random_scan_name(instance: Any, filename: str) -> str:
    """``id-scans/YYYY/MM/<random>.<ext>``: the extension is the format found in the content, not the name."""
    extension = os.path.splitext(filename)[1].lower()
    return f"id-scans/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
