"""Defects found by fuzzing the live API with schemathesis: the API and its OpenAPI schema agree (issue 3)."""

import re

import pytest

from tests.factories import PatientFactory
from tests.identity_registry.contract import assert_error_shape, load_schema

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/patients/search/"


@pytest.mark.parametrize("page_size", ["null", "abc", "0", "-3", "1.5", "٣"])
def test_a_search_with_a_page_size_that_is_not_a_positive_integer_is_refused_with_400_naming_it(
    agent_client, page_size
):
    PatientFactory(birth_name="MARTIN")
    response = agent_client.post(f"{SEARCH}?page_size={page_size}", {"name": "MARTIN"}, format="json")
    assert response.status_code == 400
    assert "page_size" in assert_error_shape(response)["details"]


def test_a_search_page_size_is_honoured_and_capped_at_the_documented_maximum(agent_client):
    for _ in range(3):
        PatientFactory(birth_name="MARTIN")
    one = agent_client.post(f"{SEARCH}?page_size=1", {"name": "MARTIN"}, format="json")
    assert one.status_code == 200 and len(one.json()["results"]) == 1
    huge = agent_client.post(f"{SEARCH}?page_size=100000", {"name": "MARTIN"}, format="json")
    assert huge.status_code == 200 and len(huge.json()["results"]) == 3


def test_the_schema_documents_if_match_as_the_quoted_version_the_server_accepts():
    schema = load_schema()
    patterns = {
        param["schema"].get("pattern")
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for param in operation.get("parameters", [])
        if param["name"] == "If-Match"
    }
    assert len(patterns) == 1
    pattern = re.compile(patterns.pop())
    assert pattern.match('"3"') and not pattern.match("*") and not pattern.match('""')


def test_the_schema_says_which_text_inputs_refuse_an_empty_string(agent_client):
    # A client following the schema must not be surprised by "Ce champ ne peut être vide."
    component = load_schema()["components"]["schemas"]["PatientCreateInput"]["properties"]
    assert component["birth_name"].get("minLength") == 1
    assert component["first_name"].get("minLength") == 1
    assert "minLength" not in component["used_name"]
    # Outputs may carry an empty optional trait (an address never given): no minLength there.
    output = load_schema()["components"]["schemas"]["PatientOutput"]["properties"]
    assert not [name for name, prop in output.items() if prop.get("minLength")]
    response = agent_client.post("/api/v1/patients/", {"birth_name": "", "first_name": "X"}, format="json")
    assert response.status_code == 400 and "birth_name" in assert_error_shape(response)["details"]


def test_the_schema_says_patient_inputs_refuse_unknown_fields_as_the_api_does(agent_client):
    # RULES TR-11: a status or INS smuggled into a body is named, not ignored; the schema must say so.
    assert load_schema()["components"]["schemas"]["PatientCreateInput"].get("additionalProperties") is False
    body = {"birth_name": "MARTIN", "first_name": "LOUIS", "sex": "M", "birth_date": "1980-01-01", "status": "QUAL"}
    response = agent_client.post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400 and "status" in assert_error_shape(response)["details"]
