"""The HTTP answer carrying a document scan (RNIV ID-09), shared by the screen and the API."""

from typing import Any

from django.http import FileResponse


def scan_response(opened: Any) -> FileResponse:
    """Serve a scan to its permitted reader: inline, never cached, never sniffed into something else."""
    response = FileResponse(opened.stream, content_type=opened.content_type, filename=opened.filename)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
