"""Issue 9 through the API: /match/ before creating, suspected duplicates in the create response, tolerant q."""

from datetime import date

import pytest

from patients.duplicates.models import DuplicateCandidate
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
BORN = date(1980, 5, 12)
HELENE = {"birth_name": "DUBE LAMBERT", "first_name": "HELENE", "sex": "F", "birth_date": "1980-05-12"}


@pytest.fixture
def helene(db):
    return PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=BORN)


def test_st11_match_returns_the_candidate_with_codes_and_writes_nothing(agent_client, helene):
    PatientFactory(birth_name="MARTIN", first_name="PAUL", sex="M", birth_date=BORN)
    response = agent_client.post("/api/v1/patients/match/", HELENE, format="json")
    assert response.status_code == 200
    [candidate] = response.json()["candidates"]
    assert candidate["patient"]["id"] == str(helene.public_id)
    assert candidate["match_class"] == "PROBABLE"
    assert candidate["traits"]["name"]["outcome"] == "SEPARATORS"
    assert candidate["traits"]["birth_date"]["outcome"] == "EXACT"
    assert Patient.objects.count() == 2
    assert not DuplicateCandidate.objects.exists()


def test_st11_match_finds_a_swapped_day_and_month_with_a_typo(agent_client, helene):
    body = {**HELENE, "birth_name": "DUBE LAMBRT", "birth_date": "1980-12-05"}
    [candidate] = agent_client.post("/api/v1/patients/match/", body, format="json").json()["candidates"]
    assert candidate["traits"]["birth_date"]["outcome"] == "SWAPPED"
    assert candidate["traits"]["name"]["outcome"] == "CLOSE"


def test_match_refuses_bad_traits_with_a_french_400(agent_client):
    response = agent_client.post("/api/v1/patients/match/", {**HELENE, "birth_name": "DUB3"}, format="json")
    assert response.status_code == 400
    assert "caractères interdits" in response.json()["message"]


def test_st11_create_response_lists_the_suspected_duplicates_it_recorded(agent_client, helene):
    response = agent_client.post("/api/v1/patients/", HELENE, format="json")
    assert response.status_code == 201
    body = response.json()
    [suspected] = body["suspected_duplicates"]
    assert suspected["patient"] == str(helene.public_id)
    assert suspected["match_class"] == "PROBABLE"
    pair = DuplicateCandidate.objects.get(pk=suspected["pair_id"])
    assert pair.state == DuplicateCandidate.State.SUSPECTED
    assert {"code": "HOMD", "label": "Homonyme détecté"} in body["patient"]["attributes"]
    assert response["ETag"] == f'"{body["patient"]["version"]}"'


def test_create_without_lookalike_records_nothing(agent_client, helene):
    response = agent_client.post("/api/v1/patients/", {**HELENE, "birth_name": "MARTIN"}, format="json")
    assert response.json()["suspected_duplicates"] == []


def test_tr05_api_search_forgives_a_typo_and_says_why_in_codes(agent_client, helene):
    response = agent_client.post("/api/v1/patients/search/", {"q": "dube lambrt 05/12/1980"}, format="json")
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["id"] == str(helene.public_id)
    assert result["match"]["exact"] is False
    assert "NAME_CLOSE" in result["match"]["reasons"]
    assert "BIRTH_DATE_SWAPPED" in result["match"]["reasons"]


def test_st11_a_strict_trait_change_through_the_api_lists_the_duplicates_it_recorded(agent_client, helene):
    other = PatientFactory(birth_name="DUPONT", first_name="HELENE", birth_date=BORN)
    url = f"/api/v1/patients/{other.public_id}/"
    response = agent_client.patch(url, {"birth_name": "DUBE LAMBERT"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    [suspected] = response.json()["suspected_duplicates"]
    assert suspected["patient"] == str(helene.public_id)
    assert DuplicateCandidate.objects.get().source == "UPDATE"
    # An additional trait only: nothing is checked, nothing recorded.
    version = response.json()["patient"]["version"]
    again = agent_client.patch(url, {"phone": "0102030405"}, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert again.json()["suspected_duplicates"] == []
