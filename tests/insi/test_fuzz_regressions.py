"""Defects found by fuzzing the live API with schemathesis on the INSi call log (INSI-10, issue 3)."""

import pytest

from tests.factories import PatientFactory
from tests.identity_registry.contract import assert_error_shape, documented_codes, load_schema
from tests.patients.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=null", "offset=-5", "offset=x"])
def test_the_insi_call_log_refuses_a_malformed_limit_or_offset_with_a_documented_400(query):
    api = token_client(user_with_role("referent"))
    patient = PatientFactory()
    response = api.get(f"/api/v1/patients/{patient.public_id}/insi/calls/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in assert_error_shape(response)["details"]
    assert 400 in documented_codes(load_schema(), "GET /api/v1/patients/{public_id}/insi/calls/")


def test_the_insi_call_log_accepts_a_valid_limit_and_offset():
    api = token_client(user_with_role("referent"))
    patient = PatientFactory()
    response = api.get(f"/api/v1/patients/{patient.public_id}/insi/calls/?limit=5&offset=0")
    assert response.status_code == 200 and response.json()["results"] == []
