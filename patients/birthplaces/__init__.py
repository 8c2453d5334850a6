"""Birthplaces by name (RNIV TR-06): INSEE's communes, with their history, and countries (99xxx).

``birthplaces()`` is the index, built once per process from the shipped file; ``birthplace_label`` shows a
stored code with its name on the screens.
"""

from datetime import date

from patients.birthplaces.index import UNKNOWN_CODE, BirthplaceError, BirthplaceIndex, Place
from patients.birthplaces.loader import birthplaces

__all__ = [
    "UNKNOWN_CODE",
    "BirthplaceError",
    "BirthplaceIndex",
    "Place",
    "birthplace_label",
    "birthplace_name",
    "birthplaces",
]


def birthplace_label(code: str, on: date | None = None) -> str:
    """ "Clermont-Ferrand (63) · 63113": the name the code had on the birth date, beside the code."""
    return birthplaces().label(code, on)


def birthplace_name(code: str, on: date | None = None) -> str:
    """The place's French label alone ("Clermont-Ferrand (63)"), or "" for no code or an unknown one."""
    place = birthplaces().by_code(code, on) if code else None
    return place.label if place else ""
