"""Issue 8 through the API: compatibility characters (item 6), birth dates (item 12) and TR-07 (item 13)."""

from datetime import date

import pytest

from patients.models import Patient
from tests.factories import PatientFactory
from tests.patients.api.conftest import NEW_PATIENT, detail_url, if_match

pytestmark = pytest.mark.django_db
URL = "/api/v1/patients/"


def post(client, **overrides):
    return client.post(URL, {**NEW_PATIENT, **overrides}, format="json")


@pytest.mark.parametrize(("name", "code_point"), [("ﬁLLON", "U+FB01"), ("ROſE", "U+017F"), ("\u212aAREN", "U+212A")])
def test_fix06_a_compatibility_character_in_a_strict_trait_is_a_400_naming_it(agent_client, name, code_point):
    response = post(agent_client, birth_name=name)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert code_point in body["details"]["birth_name"][0]
    assert not Patient.objects.exists()


@pytest.mark.parametrize("birth_date", ["0020-01-01", "1899-12-31", "0001-01-01"])
def test_fix12_an_absurd_iso_year_is_a_400_in_french(agent_client, birth_date):
    response = post(agent_client, birth_date=birth_date)

    assert response.status_code == 400
    assert response.json()["details"] == {
        "birth_date": [
            "La date de naissance est antérieure au 01/01/1900 : vérifiez l'année, qui s'écrit sur 4 chiffres."
        ]
    }
    assert not Patient.objects.exists()


@pytest.mark.parametrize("birth_date", ["20-01-01", "01/01/20", "01/01/1920", "9999-99-99"])
def test_fix12_a_birth_date_not_in_iso_form_is_a_400_naming_the_field(agent_client, birth_date):
    response = post(agent_client, birth_date=birth_date)

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["details"]["birth_date"][0]
    assert not Patient.objects.exists()


def test_fix12_the_earliest_accepted_birth_date_is_1_january_1900(agent_client):
    response = post(agent_client, birth_date="1900-01-01")

    assert response.status_code == 201
    assert response.json()["patient"]["birth_date"] == "1900-01-01"


def test_fix12_every_field_in_error_is_named_in_one_400(agent_client):
    response = post(agent_client, birth_name="DUP0NT", birthplace_cog="ABC", birth_date="0020-01-01")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"birth_name", "birthplace_cog", "birth_date"}


def test_tr07_an_estimated_day_other_than_the_first_is_a_400_naming_the_expected_date(agent_client):
    response = post(agent_client, birth_date="1990-04-12", birth_day_estimated=True)

    assert response.status_code == 400
    assert "soit le 01/04/1990" in response.json()["details"]["birth_date"][0]
    assert not Patient.objects.exists()


def test_tr07_an_unknown_date_on_31_december_is_accepted(agent_client):
    response = post(
        agent_client,
        birth_date="1950-12-31",
        birth_day_estimated=True,
        birth_month_estimated=True,
        birth_year_estimated=True,
    )

    assert response.status_code == 201


def test_tr07_patching_the_flag_alone_is_judged_on_the_stored_date(agent_client):
    patient = PatientFactory(birth_date=date(1980, 3, 14))

    response = agent_client.patch(
        detail_url(patient), {"birth_day_estimated": True}, format="json", **if_match(patient)
    )

    assert response.status_code == 400
    assert "soit le 01/03/1980" in response.json()["details"]["birth_date"][0]
    patient.refresh_from_db()
    assert patient.birth_day_estimated is False
