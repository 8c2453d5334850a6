"""Item 14: the hospital software (role "Intégration DPI") searches and verifies the INS through INSi (ST-09).

The README says the DPI calls ``.../insi/search/`` and ``.../insi/verify/``; the role × endpoint matrix below
is the contract, over a real token as the DPI sends it.
"""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from patients import roles
from tests.patients.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db

# RNIV ST-09, AUD-02: who may call each INSi operation. Deciding a proposal (INSI-06) stays a referent's act.
ALLOWED = {
    "search": {"agent", "referent", "dpi"},
    "verify": {"agent", "referent", "dpi"},
    "decision": {"referent"},
    "calls": {"referent", "auditor"},
}
ROLES = ("agent", "referent", "auditor", "dpi")


def _url(patient, action: str) -> str:
    return f"/api/v1/patients/{patient.public_id}/insi/{action}/"


def _call(client, patient, action: str):
    if action == "calls":
        return client.get(_url(patient, action))
    body = {"decision": "reject", "justification": "Pas la bonne personne"} if action == "decision" else {}
    return client.post(_url(patient, action), body, format="json")


def test_fix14_dpi_token_searches_then_verifies_the_ins(make_person):
    patient = make_person("ADRUN")
    dpi = token_client(user_with_role("dpi"))

    searched = dpi.post(_url(patient, "search"), {}, format="json")
    assert searched.status_code == 200, searched.json()
    assert (searched.json()["outcome"], searched.json()["patient"]["status"]) == ("MATCH", "RECUP")

    verified = dpi.post(_url(patient, "verify"), {}, format="json")
    assert verified.status_code == 200, verified.json()
    assert verified.json()["outcome"] == "VERIFIED"


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_fix14_st09_role_gets_exactly_its_insi_operations(make_person, role, action):
    patient = make_person("ADRUN")
    response = _call(token_client(user_with_role(role)), patient, action)
    if role in ALLOWED[action]:
        # Allowed: the operation's own answer (409 ST-08: no INS to verify yet; INSI-06: no pending proposal).
        assert response.status_code in (200, 409), response.json()
        if response.status_code == 409:
            assert response.json()["code"] == {"verify": "ST-08", "decision": "INSI-06"}[action]
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_fix14_migration_0005_grants_the_dpi_group_the_insi_query():
    group = Group.objects.get(name=roles.DPI)
    group.permissions.remove(*group.permissions.filter(codename="query_insi"))
    name = "0005_dpi_query_and_ins_refused"
    migration = importlib.import_module(f"insi.migrations.{name}")
    # The historical models the migration runs with (never the global registry, which grant() would alter).
    state_apps = MigrationLoader(connection).project_state(("insi", name)).apps

    migration.grant(state_apps, None)

    assert group.permissions.filter(content_type__app_label="insi", codename="query_insi").exists()
