"""No input to the issue 9 endpoints produces a 500: each field gets wrong values, each body raw garbage."""

import pytest

from patients.links import IdentifierAuthority
from tests.factories import PatientFactory
from tests.patients.api.endpoints import Endpoint
from tests.patients.api.test_garbage_input import RAW_BODIES, WRONG_VALUES, check

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint(
        "identifiers_add",
        "POST",
        "/api/v1/patients/{public_id}/identifiers/",
        "identifiers/",
        {"authority": "GHT-NORD", "value": "A1", "reason": ""},
        needs_if_match=True,
    ),
    Endpoint(
        "merge",
        "POST",
        "/api/v1/patients/{public_id}/merge/",
        "merge/",
        {"merged": "12345678-1234-5678-1234-567812345678", "reason": "doublon"},
        needs_if_match=True,
    ),
    Endpoint("unmerge", "POST", "/api/v1/patients/{public_id}/unmerge/", "unmerge/", {"reason": "erreur"}),
    Endpoint(
        "identifiers_remove",
        "POST",
        "/api/v1/patients/{public_id}/identifiers/{identifier_id}/remove/",
        "identifiers/1/remove/",
        {"reason": "erreur"},
        needs_if_match=True,
    ),
]
CASES = [(e, name, value) for e in ENDPOINTS for name in e.body for value in WRONG_VALUES]


@pytest.fixture
def documented(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return lambda e: {200, 201} | {int(c) for c in schema["paths"][e.path][e.method.lower()]["responses"]}


@pytest.fixture(autouse=True)
def _authority(db):
    IdentifierAuthority.objects.create(code="GHT-NORD", label="CH Nord")


@pytest.mark.parametrize(("endpoint", "field", "value"), CASES, ids=lambda x: getattr(x, "name", None))
def test_wrong_field_values_get_a_documented_4xx(referent_client, documented, endpoint, field, value):
    response = endpoint.call(referent_client, PatientFactory(), data={**endpoint.body, field: value})
    check(endpoint, response, documented)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("raw", RAW_BODIES[:10])
def test_raw_garbage_bodies_get_a_documented_4xx(referent_client, documented, endpoint, raw):
    response = endpoint.call(referent_client, PatientFactory(), data=raw, format=None, content_type="application/json")
    check(endpoint, response, documented)
