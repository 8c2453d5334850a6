"""Garbage sent to the issue 9 endpoints earns its exact 4xx and writes nothing (issue 8 item 24 applied to them)."""

import dataclasses

import pytest

from patients.api.link_serializers import IdentifierAddInput, IdentifierRemoveInput, MergeInput, UnmergeInput
from patients.links import IdentifierAuthority
from patients.models import Patient
from patients.services import identifier_add
from tests.factories import PatientFactory, UserFactory
from tests.identity_registry.garbage import assert_refused, db_state, garbage_for
from tests.patients.api.endpoints import Endpoint
from tests.patients.api.test_garbage_input import RAW_BODIES

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
INPUTS = {
    "identifiers_add": IdentifierAddInput,
    "merge": MergeInput,
    "unmerge": UnmergeInput,
    "identifiers_remove": IdentifierRemoveInput,
}


@pytest.fixture(autouse=True)
def _authority(db):
    IdentifierAuthority.objects.create(code="GHT-NORD", label="CH Nord")


def target(endpoint: Endpoint) -> tuple[Endpoint, Patient]:
    """A fresh identity for the endpoint; for a removal, one holding a real identifier to remove."""
    patient = PatientFactory()
    if endpoint.name != "identifiers_remove":
        return endpoint, patient
    result = identifier_add(actor=UserFactory(), patient=patient, authority="GHT-NORD", value="R1", reason="test")
    suffix = f"identifiers/{result.identifier.pk}/remove/"
    return dataclasses.replace(endpoint, suffix=suffix), result.patient


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_wrong_field_value_is_a_400_and_changes_nothing(referent_client, endpoint):
    endpoint, patient = target(endpoint)
    fields = INPUTS[endpoint.name]().fields
    before = db_state()
    for name in [*endpoint.body, "zzz_unknown"]:
        for value in garbage_for(fields.get(name)):
            response = endpoint.call(referent_client, patient, data={**endpoint.body, name: value})
            assert_refused(response, 400)
    assert db_state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("raw", RAW_BODIES[:10])
def test_raw_garbage_bodies_are_a_400_and_change_nothing(referent_client, endpoint, raw):
    endpoint, patient = target(endpoint)
    before = db_state()
    response = endpoint.call(referent_client, patient, data=raw, format=None, content_type="application/json")
    assert_refused(response, 400)
    assert db_state() == before
