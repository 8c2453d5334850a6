"""The consent endpoints document exactly the error codes they return (issue 3's contract on the issue 5 API).

One scenario per (operation, code): each documented code is provoked, and each provoked code is documented.
A 400 names the field at fault; a 409 carries the rule ID (PRO-01, CONS-01, CONS-03, CONS-06).
"""

import json
import uuid
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
    UNKNOWN_ID,
    V1,
    Scenario,
    World,
    common,
    consent_body,
    emergency_body,
    filtered_list,
    op,
    professional_body,
)
from tests.identity_registry.contract import (
    ERROR_CODES,
    assert_error_shape,
    assert_no_server_error,
    assert_scenario_answer,
    documented_codes,
    documented_errors,
    load_schema,
    operation_ids,
)
from tests.identity_registry.garbage import assert_refused, db_state, garbage_for
from tests.patients.api.test_garbage_input import BAD_IDS, RAW_BODIES, json_values

pytestmark = pytest.mark.django_db


# operation → {code: scenario}, and the field each operation's 400 names.
SCENARIOS: dict[str, dict[int, Scenario]] = {
    op("GET", "professionals/"): common(op("GET", "professionals/"), None),
    op("POST", "professionals/"): {
        **common(op("POST", "professionals/"), None),
        400: lambda w: w.send(op("POST", "professionals/"), None, professional_body(w, "075123456")),
        409: lambda w: w.twice(op("POST", "professionals/"), lambda: None, professional_body(w)),  # PRO-01
    },
    op("GET", PRO): common(op("GET", PRO), World.professional),
    op("PATCH", PRO): {
        **common(op("PATCH", PRO), World.professional),
        400: lambda w: w.send(op("PATCH", PRO), w.professional(), {"card_type": "XYZ"}),
        409: lambda w: w.send(  # PRO-01: the national id of another professional
            op("PATCH", PRO), w.professional(), {"national_id": w.make_professional().national_id}
        ),
    },
    op("DELETE", PRO): common(op("DELETE", PRO), World.professional),
    op("GET", EPS): filtered_list(op("GET", EPS)),
    op("POST", EPS): {
        **common(op("POST", EPS), None),
        400: lambda w: w.send(op("POST", EPS), None, {"patient": str(uuid.uuid4()), "unit": "U", "kind": "emergency"}),
    },
    op("GET", EP): common(op("GET", EP), World.episode_id),
    op("PATCH", EP): {
        **common(op("PATCH", EP), World.episode_id),
        400: lambda w: w.send(op("PATCH", EP), w.episode.pk, {"ended_at": "2000-01-01T00:00:00Z"}),
    },
    op("DELETE", EP): {
        **common(op("DELETE", EP), World.episode_id),
        409: lambda w: (w.member(), w.send(op("DELETE", EP), w.episode.pk))[1],  # CONS-01: in use
    },
    op("GET", TEAM): common(op("GET", TEAM), World.episode_id),
    op("POST", TEAM): {
        **common(op("POST", TEAM), World.episode_id),
        400: lambda w: w.send(op("POST", TEAM), w.episode.pk, {"professional": UNKNOWN_ID, "role": "IDE"}),
        409: lambda w: w.send(  # CONS-01: the episode is closed
            op("POST", TEAM), w.closed_episode().pk, {"professional": w.professional(), "role": "IDE"}
        ),
    },
    op("POST", END): {
        **common(op("POST", END), World.member),
        400: lambda w: w.send(op("POST", END), w.member(), {"left_at": "2000-01-01T00:00:00Z"}),
        409: lambda w: w.twice(op("POST", END), w.member),  # CONS-03: already left
    },
    op("GET", CONSENTS): filtered_list(op("GET", CONSENTS), required=True),
    op("POST", CONSENTS): {
        **common(op("POST", CONSENTS), None),
        400: lambda w: w.send(op("POST", CONSENTS), None, {**consent_body(w.episode.pk), "purpose": "everything"}),
        409: lambda w: w.send(op("POST", CONSENTS), None, consent_body(w.closed_episode().pk)),  # CONS-01
    },
    op("POST", CONSENT_WITHDRAW): {
        **common(op("POST", CONSENT_WITHDRAW), World.consent),
        400: lambda w: w.send(op("POST", CONSENT_WITHDRAW), w.consent(), {"reason": ["pas", "un", "texte"]}),
        409: lambda w: w.twice(op("POST", CONSENT_WITHDRAW), w.consent),  # CONS-01: already withdrawn
    },
    op("GET", OPPOSITIONS): filtered_list(op("GET", OPPOSITIONS), required=True),
    op("POST", OPPOSITIONS): {
        **common(op("POST", OPPOSITIONS), None),
        400: lambda w: w.send(op("POST", OPPOSITIONS), None, {"patient": str(w.patient.public_id), "kind": "all"}),
        409: lambda w: (
            w.opposition(w.patient),
            w.send(  # CONS-06: the same opposition is already in force
                op("POST", OPPOSITIONS),
                None,
                {
                    "patient": str(w.patient.public_id),
                    "kind": "feeding",
                    "expressed_by_capacity": "patient",
                    "expressed_by_name": "Le patient",
                },
            ),
        )[1],
    },
    op("POST", OPPOSITION_WITHDRAW): {
        **common(op("POST", OPPOSITION_WITHDRAW), World.opposition),
        400: lambda w: w.send(op("POST", OPPOSITION_WITHDRAW), w.opposition(), {"reason": {"texte": 1}}),
        409: lambda w: w.twice(op("POST", OPPOSITION_WITHDRAW), w.opposition),  # CONS-06: already withdrawn
    },
    op("GET", EMERGENCIES): filtered_list(op("GET", EMERGENCIES)),
    op("POST", EMERGENCIES): {
        **common(op("POST", EMERGENCIES), None),
        # CONS-05: no justification, no emergency access
        400: lambda w: w.send(op("POST", EMERGENCIES), None, {**emergency_body(w, w.episode.pk), "justification": ""}),
        409: lambda w: w.send(op("POST", EMERGENCIES), None, emergency_body(w, w.closed_episode().pk)),  # CONS-01
    },
    op("GET", DECISIONS): filtered_list(op("GET", DECISIONS)),
    op("POST", DECISIONS): {
        **common(op("POST", DECISIONS), None),
        400: lambda w: w.send(
            op("POST", DECISIONS),
            None,
            {"patient": str(w.patient.public_id), "professional": w.professional(), "episode": w.episode.pk},
        ),
    },
}
FIELDS = {
    op("POST", "professionals/"): "national_id",
    op("PATCH", PRO): "card_type",
    op("POST", EPS): "patient",
    op("PATCH", EP): "ended_at",
    op("POST", TEAM): "professional",
    op("POST", END): "left_at",
    op("POST", CONSENTS): "purpose",
    op("POST", CONSENT_WITHDRAW): "reason",
    op("POST", OPPOSITIONS): "kind",
    op("POST", OPPOSITION_WITHDRAW): "reason",
    op("POST", EMERGENCIES): "justification",
    op("POST", DECISIONS): "purpose",
}
CONSENT_PATHS = tuple(
    f"{V1}{p}" for p in ("professionals/", "care-", "consents/", "oppositions/", "emergency-", "dmp-")
)
OPERATIONS = [op for op in operation_ids() if op.split(" ", 1)[1].startswith(CONSENT_PATHS)]


@pytest.fixture
def schema(client):
    return load_schema()


@pytest.fixture
def world(referent, patient, episode, make_professional):
    return World(referent, patient, episode, make_professional)


def test_every_consent_operation_of_the_schema_has_a_scenario_table():
    assert set(OPERATIONS) == set(SCENARIOS)


@pytest.mark.parametrize(("operation_id", "code"), [(op, code) for op in SCENARIOS for code in ERROR_CODES])
def test_each_documented_consent_error_is_earned_by_a_scenario_and_each_earned_one_is_documented(
    schema, world, operation_id, code
):
    documented = code in documented_errors(schema, operation_id)
    scenario = SCENARIOS[operation_id].get(code)
    assert documented == (scenario is not None), f"{operation_id} {code}: documented={documented}"
    if scenario is not None:
        field = "patient" if operation_id.startswith("GET") else FIELDS.get(operation_id)
        assert_scenario_answer(scenario(world), code, field=field)


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
