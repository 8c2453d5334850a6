"""Dates typed at the keyboard on the identity screens: JJ/MM/AAAA or JJMMAAAA, never a two-digit year."""

import re
from datetime import date
from typing import Any

from django import forms

DATE_FORMAT = "%d/%m/%Y"
EXPECTED = "Format attendu : JJ/MM/AAAA."
# Day and month of one or two digits, then a four-digit year; "/", "." or "-" between them, or nothing at all.
SEPARATED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d+)", re.ASCII)
RUN_TOGETHER = re.compile(r"(\d{2})(\d{2})(\d{2}|\d{4})", re.ASCII)


class TypedDateError(ValueError):
    """Text that is not a date in French order; ``message`` is French and shown to the agent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_typed_date(text: str) -> date:
    """Read a date typed as JJ/MM/AAAA (also JJ.MM.AAAA, JJ-MM-AAAA) or JJMMAAAA.

    A two-digit year is refused, never guessed: "01/01/20" could be 1920 as well as 2020 (issue 8 item 12).
    """
    typed = text.strip()
    parts = SEPARATED.fullmatch(typed) or RUN_TOGETHER.fullmatch(typed)
    if parts is None:
        raise TypedDateError(f"Date invalide. {EXPECTED}")
    day, month, year = parts.groups()
    if len(year) != 4:
        raise TypedDateError(f"L'année se saisit sur 4 chiffres (par exemple 1920 ou 2020). {EXPECTED}")
    try:
        return date(int(year), int(month), int(day))
    except ValueError as exc:
        raise TypedDateError(f"Cette date n'existe pas. {EXPECTED}") from exc


def typable_date() -> forms.DateInput:
    """A plain text date input (JJ/MM/AAAA): typed at the keyboard, no calendar widget in the tab order."""
    return forms.DateInput(
        format=DATE_FORMAT, attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"}
    )


class TypedDateField(forms.DateField):
    """A date field read with ``parse_typed_date``: its error says which format is expected."""

    widget = forms.DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", typable_date())
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_typed_date(str(value))
        except TypedDateError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc
