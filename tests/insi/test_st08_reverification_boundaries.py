"""RNIV ST-08 at its edges: a qualified INS is due for re-verification once its last check is older than the period."""

from datetime import UTC, date, datetime, timedelta

import pytest

from insi.selectors import patients_due_for_reverification
from patients.models import Patient
from tests.factories import qualified_patient

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
MICRO = timedelta(microseconds=1)


@pytest.fixture
def checked(db):
    """Return a function that dates the last successful INSi check of one QUAL identity and tells if it is due."""
    patient = qualified_patient(birth_name="BORNE", first_name="LUC", birth_date=date(1970, 5, 5))

    def due_if_checked_at(when: datetime, *, now: datetime = NOW) -> bool:
        # Time passes: test setup, not product code.
        Patient.objects.filter(pk=patient.pk).update(ins_verified_at=when)
        return patients_due_for_reverification(now=now).filter(pk=patient.pk).exists()

    return due_if_checked_at


def test_st08_the_default_period_is_three_years(monkeypatch):
    import importlib

    from identity_registry import settings as project_settings

    monkeypatch.delenv("INS_REVERIFY_AFTER_DAYS", raising=False)
    assert importlib.reload(project_settings).INS_REVERIFY_AFTER_DAYS == 3 * 365


@pytest.mark.parametrize(
    ("age", "due"),
    [
        (timedelta(days=1), False),
        (timedelta(days=3 * 365) - timedelta(days=1), False),
        (timedelta(days=3 * 365) - MICRO, False),
        (timedelta(days=3 * 365) + MICRO, True),
        (timedelta(days=3 * 365) + timedelta(days=1), True),
        (timedelta(days=5 * 365), True),
    ],
)
def test_st08_an_identity_is_due_once_its_last_check_is_older_than_the_period(checked, settings, age, due):
    settings.INS_REVERIFY_AFTER_DAYS = 3 * 365
    assert checked(NOW - age) is due


def test_st08_the_period_is_a_setting_up_to_five_years(checked, settings):
    settings.INS_REVERIFY_AFTER_DAYS = 5 * 365
    assert not checked(NOW - timedelta(days=4 * 365))
    assert checked(NOW - timedelta(days=5 * 365) - MICRO)


def test_st08_an_identity_never_verified_through_insi_is_due(checked):
    assert checked(None)


def test_st08_a_check_made_today_is_not_due(checked):
    assert not checked(NOW)
    assert not checked(NOW - MICRO)
