"""The OpenAPI 3 schema validates, and each endpoint documents exactly the error codes it returns."""

import uuid
from collections.abc import Callable

import pytest
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from patients.services import identity_set_attribute
from tests.factories import PatientFactory, UserFactory, retrieve_ins
from tests.patients.api.conftest import token_client
from tests.patients.api.endpoints import ENDPOINTS, ENDPOINTS_BY_NAME, Endpoint

pytestmark = pytest.mark.django_db

BAD_BODIES = {
    "create": {"birth_name": "DUPONT2", "first_name": "JEAN", "sex": "M", "birth_date": "1980-01-01"},
    "search": {},
    "update": {"sex": "Z"},
    "validate_document": {"document_type": "PA", "issuing_country": "FRA"},
    "attributes": {"attribute": "XXXX", "operation": "set", "reason": "r"},
    "downgrade": {"withdraw_ins": True, "reason": ""},
}


def _doubtful():
    patient = PatientFactory()
    return identity_set_attribute(
        actor=UserFactory(username="ref"), patient=patient, attribute="DOUT", reason="r"
    ).patient


# RNIV rule conflicts each endpoint can meet: (patient maker, body).
CONFLICTS = {
    "update": (lambda: retrieve_ins(PatientFactory()), {"birth_name": "AUTRE"}),  # ST-05
    "validate_document": (_doubtful, None),  # ST-03
    "attributes": (_doubtful, {"attribute": "FICT", "operation": "set", "reason": "r"}),  # ST-02
    "downgrade": (PatientFactory, None),  # ST-06: nothing to withdraw
}


def provoke(endpoint: Endpoint, code: int, client_for: Callable) -> int:
    """Send the request that should earn ``code`` from ``endpoint``; return the status obtained."""
    patient = endpoint.make_patient() if endpoint.suffix is not None else None
    referent = client_for("referent")
    if code == 401:
        return endpoint.call(APIClient(), patient).status_code
    if code == 403:
        return endpoint.call(token_client(UserFactory(username="no-role")), patient).status_code
    if code == 404:
        ghost = PatientFactory.build(public_id=uuid.uuid4(), version=1)
        return endpoint.call(referent, ghost).status_code
    if code == 400:
        return endpoint.call(referent, patient, data=BAD_BODIES[endpoint.name]).status_code
    if code == 409:
        make, body = CONFLICTS[endpoint.name]
        return endpoint.call(referent, make(), data=body or endpoint.body).status_code
    if code == 412:
        return endpoint.call(referent, patient, headers={"HTTP_IF_MATCH": '"999"'}).status_code
    if code == 415:
        return endpoint.call(referent, patient, data="birth_name=X", format=None, content_type="text/plain").status_code
    if code == 422:
        headers = {"HTTP_IDEMPOTENCY_KEY": "same-key"}
        endpoint.call(referent, patient, headers=headers)
        other = {**endpoint.body, "first_name": "AUTRE"}
        return endpoint.call(referent, patient, data=other, headers=headers).status_code
    if code == 428:
        return endpoint.call(referent, patient, headers={"HTTP_IF_MATCH": ""}).status_code
    raise AssertionError(f"no scenario provokes {code} on {endpoint.name}: documented but never returned?")


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def documented_errors(schema: dict, endpoint: Endpoint) -> set[int]:
    responses = schema["paths"][endpoint.path][endpoint.method.lower()]["responses"]
    return {int(code) for code in responses if code.startswith("4")}


def test_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {e.path for e in ENDPOINTS} <= set(schema["paths"])


def test_every_write_documents_if_match_and_every_read_the_etag(schema):
    for endpoint in ENDPOINTS:
        operation = schema["paths"][endpoint.path][endpoint.method.lower()]
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("If-Match" in headers) == endpoint.needs_if_match, endpoint.name
        if endpoint.needs_if_match:
            assert headers["If-Match"]["required"] is True


CASES = [(e.name, code) for e in ENDPOINTS for code in (400, 401, 403, 404, 409, 412, 415, 422, 428)]


@pytest.mark.parametrize(("endpoint_name", "code"), CASES)
def test_documented_error_codes_match_what_each_endpoint_returns(schema, client_for, endpoint_name, code):
    endpoint = ENDPOINTS_BY_NAME[endpoint_name]
    documented = code in documented_errors(schema, endpoint)
    can_provoke = code in (401, 403) or (
        (code != 404 or endpoint.suffix is not None)
        and (code != 400 or endpoint.name in BAD_BODIES)
        and (code != 409 or endpoint.name in CONFLICTS)
        and (code not in (412, 428) or endpoint.needs_if_match)
        and (code != 415 or endpoint.method != "GET")
        and (code != 422 or endpoint.name == "create")
    )
    assert documented == can_provoke, f"{endpoint_name} {code}: documented={documented}"
    if can_provoke:
        assert provoke(endpoint, code, client_for) == code
