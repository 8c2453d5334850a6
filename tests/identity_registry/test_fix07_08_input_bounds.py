"""Issue 8 items 7 and 8: the input bounds at their edges, and bidirectional controls wherever they hide."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone as django_timezone
from hypothesis import given
from hypothesis import strategies as st

from identity_registry.inputs import (
    BIDI_CONTROLS,
    BIRTH_DATE_RANGE,
    DOCUMENT_EXPIRY_RANGE,
    EVENT_RANGE,
    check_utc_offset,
    has_bidi_control,
)

CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
CONTROLS += ["\u200e", "\u200f", "\u061c"]


def _refused(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return True
    return False


def test_fix07_birth_dates_from_1900_to_today_inclusive():
    today = django_timezone.localdate()
    assert not _refused(BIRTH_DATE_RANGE, date(1900, 1, 1))
    assert _refused(BIRTH_DATE_RANGE, date(1899, 12, 31))
    assert not _refused(BIRTH_DATE_RANGE, today)
    assert _refused(BIRTH_DATE_RANGE, today + timedelta(days=1))


def _in_years(years: int) -> date:
    today = django_timezone.localdate()
    return date(today.year + years, today.month, min(today.day, 28))


def test_fix07_care_events_up_to_five_years_ahead_and_documents_thirty():
    assert not _refused(EVENT_RANGE, _in_years(5) - timedelta(days=1))
    assert _refused(EVENT_RANGE, _in_years(5) + timedelta(days=4))
    assert not _refused(DOCUMENT_EXPIRY_RANGE, _in_years(30) - timedelta(days=1))
    assert _refused(DOCUMENT_EXPIRY_RANGE, _in_years(30) + timedelta(days=4))
    assert _refused(EVENT_RANGE, datetime(756, 3, 1, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    ("hours", "minutes", "refused"),
    [(0, 0, False), (1, 0, False), (5, 45, False), (14, 0, False), (-12, 0, False), (14, 15, True), (20, 3, True)],
)
def test_fix07_an_instant_needs_a_real_utc_offset(hours, minutes, refused):
    sign = -1 if hours < 0 else 1
    offset = timezone(sign * timedelta(hours=abs(hours), minutes=minutes))
    assert _refused(check_utc_offset, datetime(2020, 1, 1, 10, tzinfo=offset)) is refused


@given(st.text(max_size=40), st.sampled_from(CONTROLS), st.integers(min_value=0, max_value=40))
def test_fix08_a_bidi_control_anywhere_in_a_text_is_found(text, control, where):
    spoofed = text[:where] + control + text[where:]
    assert has_bidi_control(spoofed)
    assert has_bidi_control({"nested": [spoofed]})
    assert has_bidi_control({spoofed: "key"})


@given(st.text(max_size=60))
def test_fix08_a_text_without_bidi_control_passes(text):
    assert has_bidi_control(text) == bool(BIDI_CONTROLS.search(text))
    clean = BIDI_CONTROLS.sub("", text)
    assert not has_bidi_control(clean)
