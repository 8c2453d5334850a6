"""Defects found by fuzzing the live API with schemathesis on the consent endpoints (issue 5, issue 3)."""

import pytest

from tests.identity_registry.contract import load_schema

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/consents/", "/api/v1/oppositions/", "/api/v1/care-episodes/", "/api/v1/emergency-accesses/"]


@pytest.mark.parametrize("path", LISTS)
def test_the_schema_documents_the_patient_filter_as_the_uuid_the_api_requires(path):
    # The API answers 400 "Doit être un UUID valide." to any other string; the schema must not promise more.
    params = {p["name"]: p for p in load_schema()["paths"][path]["get"]["parameters"]}
    assert params["patient"]["schema"] == {"type": "string", "format": "uuid"}
