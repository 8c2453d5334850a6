"""Small genuine scans (PDF, JPEG, PNG) and impostors, made on the fly for the ID-09 tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (64, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(out, format=fmt)
    return out.getvalue()


GENUINE = {
    "pdf": ("passeport.pdf", pdf_bytes, "application/pdf"),
    "jpg": ("passeport.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    "png": ("passeport.png", lambda: image_bytes("PNG"), "image/png"),
}
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script>DUPONT JEAN</body></html>"
TEXT_AS_PDF = b"DUPONT JEAN 01/02/1980 passeport 12AB34567\n"


def upload(kind: str = "pdf", *, name: str | None = None) -> SimpleUploadedFile:
    filename, make, content_type = GENUINE[kind]
    return SimpleUploadedFile(name or filename, make(), content_type=content_type)


def impostor(content: bytes = HTML_AS_PDF, name: str = "passeport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
