"""Issue 11, fuzzing in CI: each class of defect schemathesis found (``python -m fuzz.run``), as a plain API test.

- schema-violating requests accepted: a number for a text, the text "true" for a boolean, "1" for a row id
  (DRF coerced them), an empty query filter (DRF's form semantics read it as absent);
- valid requests refused because the schema lacked the constraint: the page parameters' minimum, the
  characters every text input refuses;
- codes answered but not documented: 429 (throttle) and 503 (database lost) on every operation.
"""

import re

import pytest
from rest_framework.test import APIClient

from patients import roles
from tests.factories import PatientFactory
from tests.identity_registry.contract import assert_error_shape, load_schema
from tests.staff import staff_member

pytestmark = pytest.mark.django_db
PROFESSIONALS = "/api/v1/professionals/"


def _client(role: str, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(staff_member(role, username=username))
    return client


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict):
                yield method.upper(), path, operation


def _professional(**overrides):
    body = {"national_id": "810001234567", "last_name": "MARTEAU", "first_name": "Claire", "profession": "Médecin"}
    return {**body, "card_type": "CPS", **overrides}


def test_fix11_a_number_where_the_schema_says_text_is_refused_not_read_as_text():
    client = _client(roles.REFERENT, "ref-types")
    response = client.post(PROFESSIONALS, _professional(profession=0), format="json")
    assert response.status_code == 400
    assert "profession" in assert_error_shape(response)["details"]
    assert client.post(PROFESSIONALS, _professional(), format="json").status_code == 201


def test_fix11_the_text_true_where_the_schema_says_boolean_is_refused():
    client = _client(roles.AGENT, "agent-types")
    body = {"birth_name": "DURAND", "first_name": "ANNE", "sex": "F", "birth_date": "1980-01-01"}
    response = client.post("/api/v1/patients/", {**body, "to_regularise": "true"}, format="json")
    assert response.status_code == 400
    assert "to_regularise" in assert_error_shape(response)["details"]
    assert client.post("/api/v1/patients/", {**body, "to_regularise": True}, format="json").status_code == 201


def test_fix11_a_row_id_written_as_text_is_refused_where_the_schema_says_integer(episode, make_professional):
    client = _client(roles.REFERENT, "ref-rowid")
    professional = make_professional()
    url = f"/api/v1/care-episodes/{episode.pk}/team-members/"
    response = client.post(url, {"professional": str(professional.pk), "role": "Médecin"}, format="json")
    assert response.status_code == 400
    assert "professional" in assert_error_shape(response)["details"]
    assert client.post(url, {"professional": professional.pk, "role": "Médecin"}, format="json").status_code == 201


def test_fix11_an_empty_query_filter_is_refused_as_the_schema_says_not_read_as_absent():
    client = _client(roles.REFERENT, "ref-filter")
    schema_filter = next(
        param
        for method, path, operation in _operations(load_schema())
        if (method, path) == ("GET", PROFESSIONALS)
        for param in operation["parameters"]
        if param["name"] == "national_id"
    )
    assert schema_filter["schema"]["minLength"] == 1
    response = client.get(f"{PROFESSIONALS}?national_id=")
    assert response.status_code == 400
    assert "national_id" in assert_error_shape(response)["details"]
    assert client.get(f"{PROFESSIONALS}?national_id=810001234567").status_code == 200


def test_fix11_typed_query_parameters_still_read_from_text():
    # The JSON-type check leaves query strings alone: a date or an integer in a URL is text.
    patient = PatientFactory()
    client = _client(roles.AUDITOR, "auditor-query")
    response = client.get(f"/api/v1/patients/{patient.public_id}/timeline/?start=2020-01-01&kind=identity")
    assert response.status_code == 200
    assert client.get(f"/api/v1/patients/{patient.public_id}/insi/calls/?limit=5&offset=0").status_code == 200


@pytest.mark.parametrize(
    ("path", "name", "minimum"),
    [
        ("/api/v1/events/", "limit", 1),
        ("/api/v1/events/", "after", 0),
        ("/api/v1/patients/{public_id}/insi/calls/", "limit", 1),
        ("/api/v1/patients/{public_id}/insi/calls/", "offset", 0),
        ("/api/v1/patients/search/", "page_size", 1),
    ],
)
def test_fix11_the_schema_states_the_minimum_the_page_parameters_enforce(path, name, minimum):
    parameters = {
        param["name"]: param["schema"]
        for _, op_path, operation in _operations(load_schema())
        if op_path == path
        for param in operation.get("parameters", [])
    }
    assert parameters[name]["minimum"] == minimum


def test_fix11_below_the_documented_minimum_is_a_400_naming_the_parameter():
    client = _client(roles.REFERENT, "ref-limit")
    response = client.get("/api/v1/events/?limit=0")
    assert response.status_code == 400
    assert "limit" in assert_error_shape(response)["details"]


def test_fix11_every_text_input_states_the_characters_it_refuses():
    schema = load_schema()
    text_inputs = [
        (name, prop)
        for component, body in schema["components"]["schemas"].items()
        if component.endswith("Input")
        for name, prop in body.get("properties", {}).items()
        if prop.get("type") == "string" and "enum" not in prop and "format" not in prop and not prop.get("readOnly")
    ]
    assert text_inputs
    for name, prop in text_inputs:
        pattern = re.compile(prop["pattern"])
        assert not pattern.search("MARTIN\x00"), name
        assert not pattern.search("MARTIN\u202e"), name


def test_fix11_a_nul_character_is_refused_as_the_schema_pattern_says():
    client = _client(roles.REFERENT, "ref-nul")
    response = client.post(PROFESSIONALS, _professional(profession="Méde\x00cin"), format="json")
    assert response.status_code == 400
    assert "profession" in assert_error_shape(response)["details"]


def test_fix11_every_operation_documents_401_403_429_and_503_in_the_error_shape():
    schema = load_schema()
    for method, path, operation in _operations(schema):
        if not path.startswith("/api/v1/"):
            continue
        for code in ("401", "403", "429", "503"):
            answer = operation["responses"].get(code)
            assert answer, f"{method} {path} lacks {code}"
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOutput"), f"{method} {path} {code}"
        for code in ("429", "503"):
            assert "Retry-After" in operation["responses"][code]["headers"]
        if method in ("POST", "PATCH"):
            assert {"400", "415"} <= set(operation["responses"]), f"{method} {path}"
        if "{" in path:
            assert "404" in operation["responses"], f"{method} {path}"


def test_fix11_the_documented_429_is_what_the_throttle_answers(settings):
    settings.API_THROTTLE_RATE = "1/min"
    client = _client(roles.REFERENT, "ref-throttle")
    client.get(PROFESSIONALS)
    response = client.get(PROFESSIONALS)
    assert response.status_code == 429
    assert assert_error_shape(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_fix11_the_idempotency_key_pattern_is_the_one_the_server_enforces():
    parameter = next(
        param
        for method, path, operation in _operations(load_schema())
        if (method, path) == ("POST", "/api/v1/patients/")
        for param in operation["parameters"]
        if param["name"] == "Idempotency-Key"
    )
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.match("3f1c-retry") and not pattern.match("clé") and not pattern.match("x" * 256)
    client = _client(roles.AGENT, "agent-key")
    body = {"birth_name": "DURAND", "first_name": "ANNE", "sex": "F", "birth_date": "1980-01-01"}
    response = client.post("/api/v1/patients/", body, format="json", HTTP_IDEMPOTENCY_KEY="clé")
    assert response.status_code == 400
    assert "Idempotency-Key" in assert_error_shape(response)["details"]
