"""System checks of the document scan settings (RNIV ID-09)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MAX_RETENTION_DAYS = 5 * 366  # RNIV ID-09: at most 5 years after the last visit


def _inside(path: Path, folder: object) -> bool:
    if not folder:
        return False
    path, folder = path.resolve(), Path(str(folder)).resolve()
    return path == folder or folder in path.parents


@register(Tags.security)
def check_scan_storage(app_configs, **kwargs) -> list:
    """Scans never live where a URL serves files; their retention stays within ID-09's five years."""
    problems: list = []
    root = Path(str(settings.PRIVATE_MEDIA_ROOT))
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        if _inside(root, getattr(settings, name, None)):
            problems.append(
                Error(
                    f"PRIVATE_MEDIA_ROOT is inside {name}: document scans could be served publicly.",
                    hint="Point PRIVATE_MEDIA_ROOT to a directory of its own, outside the static and media files.",
                    id="patients.E001",
                )
            )
    if not 0 < settings.ID_SCAN_RETENTION_DAYS <= MAX_RETENTION_DAYS:
        problems.append(
            Warning(
                "ID_SCAN_RETENTION_DAYS is outside 1 to 5 years: RNIV ID-09 keeps scans at most 5 years.",
                id="patients.W001",
            )
        )
    if settings.ID_SCAN_MAX_BYTES <= 0 or settings.IDEMPOTENCY_RETENTION_HOURS <= 0:
        problems.append(
            Error("ID_SCAN_MAX_BYTES and IDEMPOTENCY_RETENTION_HOURS must be positive.", id="patients.E002")
        )
    return problems
