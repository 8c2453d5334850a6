"""RNIV ID-05 at its edges: a holder is a minor until the day of their 18th birthday, local date (Europe/Paris).

The age is read on the day the document is checked. These tests freeze the clock and present the parents'
livret de famille for the holder: it validates a minor's identity (ID-05) and never an adult's.
"""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from patients.documents import DocumentContext
from patients.models import Patient
from patients.services import identity_validate_document
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

# 10 March 2026, 14:00 in Paris.
CHECKED_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def check_parents_livret(agent, monkeypatch, birth_date: date, at: datetime = CHECKED_AT):
    monkeypatch.setattr(timezone, "now", lambda: at)
    patient = PatientFactory(birth_date=birth_date, actor=agent)
    result = identity_validate_document(
        actor=agent,
        patient=patient,
        document_type="LEP",
        issuing_country="FR",
        context=DocumentContext.MINOR_WITH_PARENT_DOCUMENT,
    )
    return result, Patient.objects.get(pk=patient.pk)


@pytest.mark.parametrize(
    ("label", "birth_date", "minor"),
    [
        ("17 today", date(2009, 3, 10), True),
        ("18 tomorrow", date(2008, 3, 11), True),
        ("18 today", date(2008, 3, 10), False),
        ("18 yesterday", date(2008, 3, 9), False),
        ("19 today", date(2007, 3, 10), False),
    ],
)
def test_id05_holder_is_a_minor_until_the_day_of_their_eighteenth_birthday(
    agent, monkeypatch, label, birth_date, minor
):
    result, stored = check_parents_livret(agent, monkeypatch, birth_date)
    assert result.verdict.can_validate is minor, label
    assert result.verdict.rule == "ID-05"
    assert stored.document_checked is minor
    assert stored.status == ("VALI" if minor else "PROV")
    if not minor:
        assert "mineur" in result.verdict.reason


def test_id05_a_minor_born_on_29_february_is_adult_on_1_march_of_a_common_year(agent, monkeypatch):
    on_28_feb = datetime(2026, 2, 28, 11, 0, tzinfo=UTC)
    on_1_mar = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert check_parents_livret(agent, monkeypatch, date(2008, 2, 29), at=on_28_feb)[0].verdict.can_validate
    assert not check_parents_livret(agent, monkeypatch, date(2008, 2, 29), at=on_1_mar)[0].verdict.can_validate


def test_id05_the_birthday_is_read_on_the_local_date_not_the_utc_date(agent, monkeypatch):
    # 10 March 23:30 UTC is already 11 March 00:30 in Paris: the holder born on 11 March 2008 is 18 there.
    late_evening_utc = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    result, stored = check_parents_livret(agent, monkeypatch, date(2008, 3, 11), at=late_evening_utc)
    assert not result.verdict.can_validate
    assert not stored.document_checked
