"""Role × endpoint matrix (RNIV ST-09, AUD-02): each role gets exactly its endpoints, others a 403."""

import pytest
from django.contrib.auth.models import Permission

from patients.models import Patient
from tests.factories import UserFactory
from tests.patients.api.conftest import token_client
from tests.patients.api.endpoints import ENDPOINTS, ENDPOINTS_BY_NAME

pytestmark = pytest.mark.django_db

ALLOWED = {
    # Issue 12: agents read an identity's history (read-only).
    "agent": {"create", "search", "retrieve", "update", "validate_document", "history"},
    "referent": {e.name for e in ENDPOINTS},
    # RNIV AUD-02: auditors read everything, history included, and change nothing.
    "auditor": {"search", "retrieve", "history"},
    # The hospital software reads, searches, creates provisional identities and updates traits.
    "dpi": {"create", "search", "retrieve", "update"},
}
CASES = [(role, endpoint.name) for role in ALLOWED for endpoint in ENDPOINTS]


@pytest.mark.parametrize(("role", "endpoint_name"), CASES)
def test_st09_role_gets_its_endpoints_and_403_elsewhere(client_for, role, endpoint_name):
    endpoint = ENDPOINTS_BY_NAME[endpoint_name]
    patient = endpoint.make_patient() if endpoint.suffix is not None else None
    before = (Patient.objects.count(), patient.version if patient else None)
    response = endpoint.call(client_for(role), patient)
    if endpoint_name in ALLOWED[role]:
        assert response.status_code in (200, 201), response.json()
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        if patient:
            patient.refresh_from_db()
        assert (Patient.objects.count(), patient.version if patient else None) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_st09_a_user_without_role_is_refused_everything(endpoint):
    patient = endpoint.make_patient() if endpoint.suffix is not None else None
    response = endpoint.call(token_client(UserFactory(username="nobody")), patient)
    assert response.status_code == 403


def test_st09_permission_not_group_name_grants_access():
    patient = ENDPOINTS_BY_NAME["history"].make_patient()
    user = UserFactory(username="direct-permission")
    user.user_permissions.add(Permission.objects.get(codename="view_identity_history"))
    response = ENDPOINTS_BY_NAME["history"].call(token_client(user), patient)
    assert response.status_code == 200
