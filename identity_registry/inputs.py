"""Bounds every input obeys, on the API and the screens alike (issue 8 items 5, 7, 8).

- Free text has a documented maximum length, the same in the serializer, the form and the database.
- Dates and instants fall in a sensible range; a UTC offset is a real one (at most ±14:00, by quarter hours).
- No text may carry a Unicode bidirectional control: it can make an agent read a name or a number reversed.
"""

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Free text typed by an agent (issue 8 item 5).
REASON_MAX_LENGTH = 1000  # a reason or a comment: why a change, a withdrawal, an opposition
JUSTIFICATION_MAX_LENGTH = 2000  # a justification a rule demands (INSI-06 decision, CONS-05 emergency)
ADDRESS_MAX_LENGTH = 1000
DATAMATRIX_SCAN_MAX_LENGTH = 400  # a scanned Datamatrix INS: 26 + 17 + 22 + 2 × 103 + 3 + 12 + 7 at most
DOCUMENT_NUMBER_MAX_LENGTH = 30  # an identity document's number (passport 9, CNI 12, residence permit 10)
HISTORY_REASON_MAX_LENGTH = max(REASON_MAX_LENGTH, JUSTIFICATION_MAX_LENGTH)  # the history keeps either

# Dates (issue 8 item 7). Nobody alive was born before 1900; no care event predates it either.
EARLIEST_DATE = date(1900, 1, 1)
EVENT_YEARS_AHEAD = 5  # an episode or a membership may be planned, not years ahead
DOCUMENT_YEARS_AHEAD = 30  # an identity document's expiry
MAX_UTC_OFFSET = timedelta(hours=14)  # Line Islands, UTC+14:00, the furthest real offset

# U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates), U+200E/U+200F (marks), U+061C (Arabic mark).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BIDI_MESSAGE = (
    "Ce texte contient un caractère invisible de contrôle du sens d'écriture (U+202E…), "
    "qui peut faire lire le texte à l'envers : retapez-le."
)


def has_bidi_control(value: Any) -> bool:
    """Whether ``value``, or any text nested in it (lists, dicts, keys), holds a bidirectional control."""
    if isinstance(value, str):
        return bool(BIDI_CONTROLS.search(value))
    if isinstance(value, dict):
        return any(has_bidi_control(k) or has_bidi_control(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_bidi_control(item) for item in value)
    return False


def reject_bidi_controls(value: Any) -> None:
    """Validator: refuse a text holding a bidirectional control (issue 8 item 8)."""
    if has_bidi_control(value):
        raise ValidationError(BIDI_MESSAGE, code="bidi_control")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateRangeValidator:
    """Refuse a date (or the date of an instant) before ``EARLIEST_DATE`` or more than ``years_ahead`` from today.

    ``years_ahead=0`` means "not after today".
    """

    def __init__(self, years_ahead: int, future_message: str = "") -> None:
        self.years_ahead = years_ahead
        self.future_message = future_message

    def __call__(self, value: date | datetime) -> None:
        day = timezone.localtime(value).date() if isinstance(value, datetime) else value
        latest = _years_after(timezone.localdate(), self.years_ahead)
        if day > latest and self.future_message:
            raise ValidationError(self.future_message, code="date_in_future")
        if day < EARLIEST_DATE or day > latest:
            raise ValidationError(
                "Date hors des limites admises : entre le %(earliest)s et le %(latest)s.",
                code="date_out_of_range",
                params={"earliest": EARLIEST_DATE.strftime("%d/%m/%Y"), "latest": latest.strftime("%d/%m/%Y")},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator) and (other.years_ahead, other.future_message) == (
            self.years_ahead,
            self.future_message,
        )


def check_utc_offset(value: datetime) -> None:
    """Refuse an instant written with an offset no place uses (+20:03): at most ±14:00, by quarter hours."""
    offset = value.utcoffset()
    if offset is None:
        return
    if abs(offset) > MAX_UTC_OFFSET or offset.total_seconds() % (15 * 60):
        raise ValidationError(
            "Décalage horaire invalide : attendu entre -14:00 et +14:00, par quarts d'heure (ex. +01:00).",
            code="bad_utc_offset",
        )


BIRTH_DATE_RANGE = DateRangeValidator(0, future_message="La date de naissance ne peut pas être dans le futur.")
EVENT_RANGE = DateRangeValidator(years_ahead=EVENT_YEARS_AHEAD)
DOCUMENT_EXPIRY_RANGE = DateRangeValidator(years_ahead=DOCUMENT_YEARS_AHEAD)
