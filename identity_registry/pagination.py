"""Strict pagination: a malformed ``page_size``/``limit``/``offset``/``cursor`` answers 400, never silently ignored."""

import base64
from typing import Any
from urllib.parse import parse_qs

from rest_framework import exceptions as drf_exceptions
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.request import Request

BAD_CURSOR = "Curseur de pagination invalide."
CURSOR_FIELDS = {"o", "r", "p"}  # offset, reverse, position: what DRF's encode_cursor writes


def query_int(request: Request, name: str, *, minimum: int, maximum: int | None = None) -> int | None:
    """The integer query parameter ``name`` (None when absent); not an integer ≥ ``minimum`` → 400 naming it.

    A value above ``maximum`` is capped, as the schema documents the maximum.
    """
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw.strip()) if raw.strip().isascii() else None
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise drf_exceptions.ValidationError({name: [f"Entier attendu, supérieur ou égal à {minimum}."]})
    return min(value, maximum) if maximum is not None else value


def _is_cursor(encoded: str) -> bool:
    """Whether ``encoded`` is a cursor DRF wrote: strict base64 of a query string of its fields, with a place."""
    try:
        querystring = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
    except (ValueError, UnicodeError):  # binascii.Error is a ValueError
        return False
    tokens = parse_qs(querystring, keep_blank_values=True)
    return bool(tokens) and set(tokens) <= CURSOR_FIELDS and bool({"o", "p"} & set(tokens))


def _with_minimum(parameters: list[dict[str, Any]], minima: dict[str, int]) -> list[dict[str, Any]]:
    """DRF's schema of the page parameters, plus the minimum ``query_int`` enforces (issue 11: the schema says it)."""
    for parameter in parameters:
        if parameter["name"] in minima:
            parameter["schema"] = {**parameter["schema"], "minimum": minima[parameter["name"]]}
    return parameters


class StrictCursorPagination(CursorPagination):
    """Cursor pages whose ``page_size`` and ``cursor`` are checked: a malformed one is a 400 naming it."""

    page_size_query_param = "page_size"

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return _with_minimum(super().get_schema_operation_parameters(view), {self.page_size_query_param: 1})

    def get_page_size(self, request: Request) -> int:
        size = query_int(request, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def decode_cursor(self, request: Request) -> Any:
        # DRF reads undecodable base64 ("%%%%") as an empty cursor, i.e. the first page: refuse it (issue 8 item 8).
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and not _is_cursor(encoded):
            raise drf_exceptions.ValidationError({self.cursor_query_param: [BAD_CURSOR]})
        try:
            return super().decode_cursor(request)
        except drf_exceptions.NotFound as exc:
            raise drf_exceptions.ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from exc


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pages whose ``limit`` and ``offset`` are checked: a malformed one is a 400 naming it."""

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        minima = {self.limit_query_param: 1, self.offset_query_param: 0}
        return _with_minimum(super().get_schema_operation_parameters(view), minima)

    def get_limit(self, request: Request) -> int:
        limit = query_int(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return query_int(request, self.offset_query_param, minimum=0) or 0
