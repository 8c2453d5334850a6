"""Item 15: a matricule INSi returns that can never be an INS (TR-10, TR-12) has an outcome of its own."""

import pytest

from insi.matching import assess
from insi.matching.outcome import Outcome
from insi.models import InsiCall
from tests.insi.helpers import calls_of, snapshot
from tests.insi.test_matching import NIR, local, returned
from tests.patients.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db


def test_fix15_tr10_a_returned_matricule_with_a_bad_key_is_ins_refused_in_the_api_and_the_log(make_person):
    patient = make_person("HERMAN")
    before = snapshot(patient)

    response = token_client(user_with_role("dpi")).post(
        f"/api/v1/patients/{patient.public_id}/insi/search/", {}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "INS_REFUSED"
    assert "TR-10" in {d["rule"] for d in body["differences"]}
    assert body["retries"] == []  # no retry and no referent decision can retrieve a bad matricule
    assert body["proposal"] is None
    assert snapshot(patient) == before
    assert calls_of(patient)[-1].outcome == InsiCall.Outcome.INS_REFUSED


def test_fix15_tr10_a_bad_key_wins_over_matching_traits():
    from insi.client import ReturnedIdentity, ReturnedIns

    identity = ReturnedIdentity(ReturnedIns("181036322045660", NIR), returned(birthplace_cog=""))
    assert assess(local(), identity).outcome == Outcome.INS_REFUSED


def test_fix15_the_schema_describes_the_ins_refused_outcome(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    described = [
        node["description"]
        for node in schema["components"]["schemas"].values()
        if "INS_REFUSED" in node.get("enum", [])
    ]
    assert described and all("TR-10" in text and "TR-12" in text for text in described)
