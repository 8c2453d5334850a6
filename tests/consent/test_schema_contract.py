"""The consent endpoints document exactly the error codes they return (issue 3's contract on the issue 5 API).

One scenario per (operation, code): each documented code is provoked, and each provoked code is documented.
A 400 names the field at fault; a 409 carries the rule ID (PRO-01, CONS-01, CONS-03, CONS-06).
"""

import uuid

import pytest

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
    assert_scenario_answer,
    documented_errors,
    load_schema,
    operation_ids,
)

pytestmark = pytest.mark.django_db


# operation → {code: scenario}, and the field each operation's 400 names.
SCENARIOS: dict[str, dict[int, Scenario]] = {
    op("GET", "professionals/"): {
        **common(op("GET", "professionals/"), None),
        400: lambda w: w.send(op("GET", "professionals/"), query={"national_id": "8" * 13}),  # longer than any
    },
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
    op("GET", "professionals/"): "national_id",
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
        field = FIELDS.get(operation_id, "patient" if operation_id.startswith("GET") else None)
        assert_scenario_answer(scenario(world), code, field=field)
