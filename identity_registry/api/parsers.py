"""The request parsers of the API: JSON everywhere, and multipart for the one file it takes (a document scan)."""

from typing import Any

from rest_framework import exceptions as drf_exceptions
from rest_framework.parsers import JSONParser, MultiPartParser


class SafeJSONParser(JSONParser):
    """JSON parser that answers 400, not 500, to a body nested deeper than Python's recursion limit."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise drf_exceptions.ParseError("Le corps JSON est imbriqué trop profondément.") from exc


class ScanUploadParser(MultiPartParser):
    """The one exception to JSON: a document scan (RNIV ID-09) is a file, sent as ``multipart/form-data``.

    Django streams the file part to disk past FILE_UPLOAD_MAX_MEMORY_SIZE; the service then checks its size
    and content. Only the scan upload view uses this parser.
    """
