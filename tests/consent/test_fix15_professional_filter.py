"""Item 15: an integrator finds a professional by its national identifier (unique, PRO-01)."""

import pytest

from consent.services import professional_deactivate

pytestmark = pytest.mark.django_db

PROFESSIONALS = "/api/v1/professionals/"


def test_fix15_pro01_a_professional_is_found_by_its_national_id(api, dpi, make_professional):
    wanted = make_professional(national_id="810001234567")
    make_professional(national_id="810007654321")

    found = api(dpi).get(PROFESSIONALS, {"national_id": "810001234567"})

    assert found.status_code == 200
    assert [p["id"] for p in found.json()] == [wanted.pk]


def test_fix15_pro01_a_deactivated_professional_is_still_found_by_its_national_id(
    api, dpi, referent, make_professional
):
    gone = make_professional(national_id="0123456789")
    professional_deactivate(actor=referent, professional=gone)

    found = api(dpi).get(PROFESSIONALS, {"national_id": "0123456789"}).json()

    assert [(p["id"], p["is_active"]) for p in found] == [(gone.pk, False)]
    assert api(dpi).get(PROFESSIONALS).json() == []


def test_fix15_pro01_an_unknown_national_id_finds_nobody(api, dpi, make_professional):
    make_professional()
    assert api(dpi).get(PROFESSIONALS, {"national_id": "899999999999"}).json() == []
