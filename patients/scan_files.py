"""What a document scan may be (RNIV ID-09): a PDF, JPEG or PNG, judged by its content, never by its name.

The first bytes must carry the format's signature, and the whole file must then parse as that format
(pypdf for a PDF, Pillow for an image): a text or HTML page renamed ``.pdf`` is refused. No database here.
"""

from enum import StrEnum
from typing import IO

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError


class ScanFormat(StrEnum):
    PDF = "pdf"
    JPEG = "jpg"
    PNG = "png"


CONTENT_TYPES = {ScanFormat.PDF: "application/pdf", ScanFormat.JPEG: "image/jpeg", ScanFormat.PNG: "image/png"}
# The signatures (magic bytes) of the three accepted formats.
SIGNATURES = ((b"%PDF-", ScanFormat.PDF), (b"\xff\xd8\xff", ScanFormat.JPEG), (b"\x89PNG\r\n\x1a\n", ScanFormat.PNG))
PILLOW_FORMATS = {ScanFormat.JPEG: "JPEG", ScanFormat.PNG: "PNG"}
# An image this large is a decompression bomb, not a scan (Pillow's own limit is lower than its warning).
MAX_IMAGE_PIXELS = 80_000_000

NOT_A_SCAN = (
    "Le fichier joint n'est ni un PDF, ni une image JPEG ou PNG (son contenu a été vérifié, pas son nom) : "
    "numérisez le justificatif dans l'un de ces formats."
)
DAMAGED = "Le fichier joint semble endommagé : il ne s'ouvre pas comme {label}. Numérisez à nouveau le justificatif."
EMPTY = "Le fichier joint est vide."


class ScanRefused(ValueError):
    """The file is not an acceptable scan; the message is for the agent, in French."""


def too_large_message(max_bytes: int) -> str:
    return (
        f"Le fichier joint dépasse la taille maximale de {max_bytes / (1024 * 1024):.1f} Mo : réduisez sa résolution."
    )


def sniff_format(head: bytes) -> ScanFormat | None:
    """The format whose signature starts ``head``, or None."""
    for signature, fmt in SIGNATURES:
        if head.startswith(signature):
            return fmt
    return None


def _parses(stream: IO[bytes], fmt: ScanFormat) -> bool:
    stream.seek(0)
    try:
        if fmt == ScanFormat.PDF:
            reader = PdfReader(stream, strict=True)
            return len(reader.pages) > 0
        with Image.open(stream, formats=[PILLOW_FORMATS[fmt]]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return False
            image.verify()
        return True
    except (PyPdfError, UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    finally:
        stream.seek(0)


def check_scan(stream: IO[bytes], *, size: int, max_bytes: int) -> ScanFormat:
    """Return the scan's format, or raise ScanRefused saying why it is refused."""
    if size <= 0:
        raise ScanRefused(EMPTY)
    if size > max_bytes:
        raise ScanRefused(too_large_message(max_bytes))
    stream.seek(0)
    fmt = sniff_format(stream.read(16))
    if fmt is None:
        raise ScanRefused(NOT_A_SCAN)
    if not _parses(stream, fmt):
        label = "un PDF" if fmt == ScanFormat.PDF else f"une image {PILLOW_FORMATS[fmt]}"
        raise ScanRefused(DAMAGED.format(label=label))
    return fmt
