"""Garbage input on the consent API earns its exact 4xx and writes nothing (issue 3, issue 8 item 24)."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.api.serializers import (
    ConsentInput,
    DecisionInput,
    EmergencyInput,
    EndMembershipInput,
    EpisodeInput,
    EpisodeUpdateInput,
    OppositionInput,
    ProfessionalInput,
    TeamMemberInput,
    WithdrawInput,
)
from tests.consent.api_world import (
    CONSENT_WITHDRAW,
    CONSENTS,
    DECISIONS,
    EMERGENCIES,
    END,
    EP,
    EPS,
    OPPOSITION_WITHDRAW,
    OPPOSITIONS,
    PRO,
    TEAM,
    World,
    consent_body,
    emergency_body,
    op,
    professional_body,
)
from tests.consent.test_schema_contract import SCENARIOS
from tests.identity_registry.contract import (
    assert_error_shape,
    assert_no_server_error,
    documented_codes,
    load_schema,
)
from tests.identity_registry.garbage import assert_refused, db_state, garbage_for
from tests.patients.api.test_garbage_input import BAD_IDS, RAW_BODIES, json_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return load_schema()


@pytest.fixture
def world(referent, patient, episode, make_professional):
    return World(referent, patient, episode, make_professional)


# Garbage input (issue 3: no input produces a 500); the values are the patients API's garbage.
def _body(w: World, operation_id: str) -> tuple[Any, dict[str, Any]]:
    """Each write with the id its path needs and one valid body, to spoil field by field."""
    episode = {"patient": str(w.patient.public_id), "unit": "U", "kind": "consultation", "started_at": "2020-01-01"}
    opposition = {
        "patient": str(w.patient.public_id),
        "kind": "feeding",
        "expressed_by_capacity": "patient",
        "expressed_by_name": "P",
    }
    decision = {
        "patient": str(w.patient.public_id),
        "professional": w.professional(),
        "episode": w.episode.pk,
        "purpose": "consultation",
        "mode": "normal",
    }
    makers = {
        op("POST", "professionals/"): lambda: (None, professional_body(w)),
        op("PATCH", PRO): lambda: (w.professional(), {**professional_body(w, "810009999999")}),
        op("POST", EPS): lambda: (None, episode),
        op("PATCH", EP): lambda: (w.fresh_episode(), {"unit": "U", "ended_at": "2030-01-01T00:00:00Z"}),
        op("POST", TEAM): lambda: (w.episode.pk, {"professional": w.professional(), "role": "IDE"}),
        op("POST", END): lambda: (w.member(), {"left_at": "2030-01-01T00:00:00Z", "reason": "r"}),
        op("POST", CONSENTS): lambda: (None, {**consent_body(w.episode.pk), "professional": None, "reason": "r"}),
        op("POST", CONSENT_WITHDRAW): lambda: (w.consent(), {"reason": "r"}),
        op("POST", OPPOSITIONS): lambda: (None, opposition),
        op("POST", OPPOSITION_WITHDRAW): lambda: (w.opposition(), {"reason": "r"}),
        op("POST", EMERGENCIES): lambda: (None, emergency_body(w, w.episode.pk)),
        op("POST", DECISIONS): lambda: (None, decision),
    }
    return makers[operation_id]()


WRITES = [op for op in SCENARIOS if not op.startswith(("GET", "DELETE"))]


# Issue 8 item 24: each garbage input earns its exact 4xx, and the database is left as it was.
INPUTS = {
    op("POST", "professionals/"): ProfessionalInput,
    op("PATCH", PRO): ProfessionalInput,
    op("POST", EPS): EpisodeInput,
    op("PATCH", EP): EpisodeUpdateInput,
    op("POST", TEAM): TeamMemberInput,
    op("POST", END): EndMembershipInput,
    op("POST", CONSENTS): ConsentInput,
    op("POST", CONSENT_WITHDRAW): WithdrawInput,
    op("POST", OPPOSITIONS): OppositionInput,
    op("POST", OPPOSITION_WITHDRAW): WithdrawInput,
    op("POST", EMERGENCIES): EmergencyInput,
    op("POST", DECISIONS): DecisionInput,
}


@pytest.mark.parametrize("operation_id", WRITES)
def test_each_wrong_field_value_is_a_400_naming_it_and_changes_nothing_on_consent(world, operation_id):
    obj_id, body = _body(world, operation_id)
    fields = INPUTS[operation_id]().fields
    before = db_state()
    for name in dict.fromkeys([*body, "at", "patient"]):
        for value in garbage_for(fields.get(name)):
            response = world.send(operation_id, obj_id, {**body, name: value})
            assert response.status_code == 400, (name, value, response.status_code)
            assert_refused(response, 400)
            assert name in response.json()["details"], (operation_id, name, value, response.json())
    assert db_state() == before


@pytest.mark.parametrize("operation_id", WRITES)
def test_non_json_and_malformed_bodies_are_415_or_400_and_change_nothing_on_consent(world, operation_id):
    obj_id, _ = _body(world, operation_id)
    before = db_state()
    for raw in RAW_BODIES:
        for content_type in (
            "application/json",
            "text/plain",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            response = world.send(operation_id, obj_id, raw, content_type=content_type)
            assert_refused(response, 400 if content_type == "application/json" else 415)
    assert db_state() == before


@pytest.mark.parametrize("operation_id", list(SCENARIOS))
def test_bad_ids_are_404_and_bad_filters_400_on_consent(world, operation_id):
    method, path = operation_id.split(" ", 1)
    before = db_state()
    if "{id}" in path:
        for bad_id in [*BAD_IDS, "-1", str(10**30), "1e3"]:
            url = path.replace("{id}", bad_id)
            response = world.root.generic(method, url, "{}", content_type="application/json")
            assert response.status_code == 404, (url, response.status_code)
            assert_error_shape(response)
    elif method == "GET" and "patient" in {
        p["name"] for p in load_schema()["paths"][path]["get"].get("parameters", [])
    }:
        for value in ["", " ", "\x00", "x" * 5000, "1", str(10**30), "{}"]:
            response = world.root.get(path, {"patient": value})
            assert_refused(response, 400)
            assert "patient" in response.json()["details"]
    assert db_state() == before


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_json_bodies_never_cause_a_500_on_consent(schema, world, data):
    operation_id = data.draw(st.sampled_from(WRITES))
    obj_id, base = _body(world, operation_id)
    body = data.draw(
        st.fixed_dictionaries({k: st.one_of(st.just(v), json_values) for k, v in base.items()})
        | st.dictionaries(st.text(max_size=20), json_values, max_size=5)
    )
    before = db_state()
    response = world.send(operation_id, obj_id, json.loads(json.dumps(body)))
    assert_no_server_error(response, documented_codes(schema, operation_id))
    if response.status_code >= 400:
        assert db_state() == before  # a refusal writes nothing
