"""The one request parser of the API: JSON only."""

from typing import Any

from rest_framework import exceptions as drf_exceptions
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """JSON parser that answers 400, not 500, to a body nested deeper than Python's recursion limit."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise drf_exceptions.ParseError("Le corps JSON est imbriqué trop profondément.") from exc
