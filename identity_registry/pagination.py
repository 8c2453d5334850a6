"""Strict pagination parameters: a malformed ``page_size``/``limit``/``offset`` answers 400, never silently ignored."""

from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request


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
