"""Document scans (RNIV ID-09): accept one by its content, attach it, open it for a permitted reader (logged)."""

from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from identity_registry.exceptions import InvalidInput, RuleViolation
from identity_registry.history import stamp_history
from patients import reasons
from patients.audit import patient_record_access
from patients.models import IdentityDocument
from patients.records import PatientAccess
from patients.scan_files import CONTENT_TYPES, ScanFormat, ScanRefused, check_scan
from patients.services.common import lock_patient

SCAN_PRESENT = (
    "Ce justificatif a déjà une copie numérisée : elle n'est pas remplacée (la copie conservée reste la preuve du "
    "contrôle). Enregistrez un nouveau contrôle si le justificatif a changé."
)
SCAN_PURGED = "La copie numérisée de ce justificatif a été purgée (durée de conservation dépassée, règle ID-09)."
NO_SCAN = "Ce justificatif n'a pas de copie numérisée."


def accepted_scan(upload: Any) -> File:
    """Check an uploaded scan by its content and size; return it renamed ``scan.<format>`` (ID-09).

    The original name is dropped: it may carry the patient's name, and it says nothing of the content.
    """
    size = getattr(upload, "size", None)
    if size is None:
        raise InvalidInput(
            "La copie numérisée doit être envoyée comme un fichier.", details={"scan": ["Fichier attendu."]}
        )
    try:
        fmt = check_scan(upload, size=size, max_bytes=settings.ID_SCAN_MAX_BYTES)
    except ScanRefused as refusal:
        raise InvalidInput(str(refusal), details={"scan": [str(refusal)]}) from refusal
    return File(upload, name=f"scan.{fmt.value}")


@transaction.atomic
def document_attach_scan(
    *, actor: Any, document: IdentityDocument | int, scan: Any, reason: str = ""
) -> IdentityDocument:
    """Attach a scan to a recorded document that has none (ID-09); the history keeps who and when."""
    accepted = accepted_scan(scan)
    pk = document.pk if isinstance(document, IdentityDocument) else document
    patient_id = IdentityDocument.objects.values_list("patient_id", flat=True).get(pk=pk)
    # The identity first, then its document: the order every document write takes (no deadlock).
    lock_patient(patient_id)
    locked = IdentityDocument.objects.select_for_update().get(pk=pk)
    if locked.scan:
        raise RuleViolation(SCAN_PRESENT, code="ID-09")
    locked.scan = accepted
    stamp_history(locked, actor=actor, reason_code=reasons.SCAN_ATTACHED, reason=reason)
    locked.save()
    return locked


@dataclass(frozen=True)
class OpenedScan:
    stream: IO[bytes]
    content_type: str
    filename: str


def scan_filename(document: IdentityDocument) -> str:
    """The name offered to the reader's browser: the document's kind and date, never the patient's name."""
    fmt = ScanFormat(document.scan.name.rsplit(".", 1)[-1].lower())
    return f"justificatif-{document.pk}-{document.checked_at:%Y%m%d}.{fmt.value}"


@transaction.atomic
def document_open_scan(*, actor: Any, document: IdentityDocument, channel: str) -> OpenedScan:
    """Open a document's scan for a reader the caller has authorised, and log the view (AUD-03, ID-09)."""
    if not document.scan:
        raise RuleViolation(SCAN_PURGED if document.scan_purged_at else NO_SCAN, code="ID-09")
    fmt = ScanFormat(document.scan.name.rsplit(".", 1)[-1].lower())
    stream = document.scan.storage.open(document.scan.name, "rb")
    # Logged once the file is found: a view that served nothing is not an access.
    patient_record_access(actor=actor, patients=[document.patient], channel=channel, action=PatientAccess.Action.SCAN)
    return OpenedScan(stream=stream, content_type=CONTENT_TYPES[fmt], filename=scan_filename(document))
