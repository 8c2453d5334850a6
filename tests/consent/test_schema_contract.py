"""The consent endpoints document exactly the error codes they return (issue 3's contract on the issue 5 API).

One scenario per (operation, code): each documented code is provoked, and each provoked code is documented.
A 400 names the field at fault; a 409 carries the rule ID (PRO-01, CONS-01, CONS-03, CONS-06).
"""

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from consent.codes import EpisodeKind, GiverCapacity, OppositionKind
from consent.services import care_episode_create, opposition_record
from tests.consent.conftest import give_consent, join_team
from tests.factories import PatientFactory, UserFactory
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
from tests.patients.api.conftest import token_client
from tests.patients.api.test_garbage_input import BAD_IDS, RAW_BODIES, WRONG_VALUES, json_values

pytestmark = pytest.mark.django_db

V1 = "/api/v1/"
UNKNOWN_ID = 2_000_000_000
LONG_AGO = timedelta(days=30)


class World:
    """A user allowed everything, a patient with an episode, and makers for every kind of row."""

    def __init__(self, referent: Any, patient: Any, episode: Any, make_professional: Callable[..., Any]) -> None:
        self.referent, self.patient, self.episode, self.make_professional = (
            referent,
            patient,
            episode,
            make_professional,
        )
        self.root = token_client(UserFactory(username="root", is_superuser=True, is_staff=True))

    def send(self, operation_id: str, obj_id: Any = None, body: Any = None, *, client: Any = None, **kw: Any) -> Any:
        method, path = operation_id.split(" ", 1)
        url = path.replace("{id}", str(obj_id if obj_id is not None else UNKNOWN_ID))
        client = client or self.root
        if "query" in kw:
            return client.get(url, kw["query"])
        if method == "GET":
            return client.get(url)
        if "content_type" in kw:
            return getattr(client, method.lower())(url, body, content_type=kw["content_type"])
        return getattr(client, method.lower())(url, body if body is not None else {}, format="json")

    # Makers: each returns the id its operation's path needs.
    def professional(self) -> int:
        return self.make_professional().pk

    def episode_id(self) -> int:
        return self.episode.pk

    def fresh_episode(self) -> int:
        """An episode of its own, so spoiling it leaves the shared one open."""
        return care_episode_create(
            actor=self.referent, patient=self.patient, unit="Cardiologie", kind=EpisodeKind.CONSULTATION
        ).pk

    def closed_episode(self) -> Any:
        now = timezone.now()
        return care_episode_create(
            actor=self.referent,
            patient=self.patient,
            unit="Cardiologie",
            kind=EpisodeKind.CONSULTATION,
            started_at=now - LONG_AGO,
            ended_at=now - LONG_AGO / 2,
        )

    def member(self) -> int:
        return join_team(self.referent, self.episode, self.make_professional()).pk

    def consent(self) -> int:
        return give_consent(self.referent, self.episode).pk

    def opposition(self) -> int:
        return opposition_record(
            actor=self.referent,
            patient=PatientFactory(actor=self.referent),  # a patient of its own: one opposition in force each
            kind=OppositionKind.FEEDING,
            expressed_by_capacity=GiverCapacity.PATIENT,
            expressed_by_name="Le patient",
        ).pk

    def twice(self, operation_id: str, make: Callable[[], int], body: Any = None) -> Any:
        obj_id = make()
        first = self.send(operation_id, obj_id, body)
        assert first.status_code < 300, first.content
        return self.send(operation_id, obj_id, body)


Scenario = Callable[[World], Any]


def _common(operation_id: str, make: Callable[[World], int] | None) -> dict[int, Scenario]:
    """401 and 403 on every operation; 404 on an unknown id in the path; 415 on a write with a text body."""
    scenarios: dict[int, Scenario] = {
        401: lambda w: w.send(operation_id, client=APIClient()),
        403: lambda w: w.send(operation_id, client=token_client(UserFactory(username="no-role"))),
    }
    if "{id}" in operation_id:
        scenarios[404] = lambda w: w.send(operation_id)
    if not operation_id.startswith(("GET", "DELETE")):
        scenarios[415] = lambda w: w.send(
            operation_id, make(w) if make else None, "reason=x", content_type="text/plain"
        )
    return scenarios


def _filtered_list(operation_id: str, *, required: bool = False) -> dict[int, Scenario]:
    """A list filtered by ``?patient=``: a malformed id is a 400, an unknown patient a 404."""
    scenarios = {
        **_common(operation_id, None),
        400: lambda w: w.send(operation_id, query={"patient": "not-a-uuid"}),
        404: lambda w: w.send(operation_id, query={"patient": str(uuid.uuid4())}),
    }
    if required:  # no patient at all is a 400 too
        scenarios[400] = lambda w: w.send(operation_id)
    return scenarios


def _professional_body(w: World, national_id: str = "810001234567") -> dict[str, str]:
    return {"national_id": national_id, "last_name": "B", "first_name": "C", "profession": "IDE", "card_type": "CPS"}


def _consent_body(episode_id: int) -> dict[str, Any]:
    return {
        "episode": episode_id,
        "purpose": "dmp_feeding_information",
        "decision": "informed",
        "given_by_capacity": "patient",
        "given_by_name": "Le patient",
        "channel": "oral",
    }


def _emergency_body(w: World, episode_id: int) -> dict[str, Any]:
    return {
        "professional": w.professional(),
        "episode": episode_id,
        "mode": "bris_de_glace",
        "justification": "Patient inconscient, risque immédiat",
        "patient_cannot_express": True,
    }


def _op(method: str, path: str) -> str:
    return f"{method} {V1}{path}"


PRO = "professionals/{id}/"
EPS, EP, TEAM = "care-episodes/", "care-episodes/{id}/", "care-episodes/{id}/team-members/"
END, CONSENTS, CONSENT_WITHDRAW = "care-team-members/{id}/end/", "consents/", "consents/{id}/withdraw/"
OPPOSITIONS, OPPOSITION_WITHDRAW = "oppositions/", "oppositions/{id}/withdraw/"
EMERGENCIES, DECISIONS = "emergency-accesses/", "dmp-access-decisions/"

# operation → {code: scenario}, and the field each operation's 400 names.
SCENARIOS: dict[str, dict[int, Scenario]] = {
    _op("GET", "professionals/"): _common(_op("GET", "professionals/"), None),
    _op("POST", "professionals/"): {
        **_common(_op("POST", "professionals/"), None),
        400: lambda w: w.send(_op("POST", "professionals/"), None, _professional_body(w, "075123456")),
        409: lambda w: w.twice(_op("POST", "professionals/"), lambda: None, _professional_body(w)),  # PRO-01
    },
    _op("GET", PRO): _common(_op("GET", PRO), World.professional),
    _op("PATCH", PRO): {
        **_common(_op("PATCH", PRO), World.professional),
        400: lambda w: w.send(_op("PATCH", PRO), w.professional(), {"card_type": "XYZ"}),
        409: lambda w: w.send(  # PRO-01: the national id of another professional
            _op("PATCH", PRO), w.professional(), {"national_id": w.make_professional().national_id}
        ),
    },
    _op("DELETE", PRO): _common(_op("DELETE", PRO), World.professional),
    _op("GET", EPS): _filtered_list(_op("GET", EPS)),
    _op("POST", EPS): {
        **_common(_op("POST", EPS), None),
        400: lambda w: w.send(_op("POST", EPS), None, {"patient": str(uuid.uuid4()), "unit": "U", "kind": "emergency"}),
    },
    _op("GET", EP): _common(_op("GET", EP), World.episode_id),
    _op("PATCH", EP): {
        **_common(_op("PATCH", EP), World.episode_id),
        400: lambda w: w.send(_op("PATCH", EP), w.episode.pk, {"ended_at": "2000-01-01T00:00:00Z"}),
    },
    _op("DELETE", EP): {
        **_common(_op("DELETE", EP), World.episode_id),
        409: lambda w: (w.member(), w.send(_op("DELETE", EP), w.episode.pk))[1],  # CONS-01: in use
    },
    _op("GET", TEAM): _common(_op("GET", TEAM), World.episode_id),
    _op("POST", TEAM): {
        **_common(_op("POST", TEAM), World.episode_id),
        400: lambda w: w.send(_op("POST", TEAM), w.episode.pk, {"professional": UNKNOWN_ID, "role": "IDE"}),
        409: lambda w: w.send(  # CONS-01: the episode is closed
            _op("POST", TEAM), w.closed_episode().pk, {"professional": w.professional(), "role": "IDE"}
        ),
    },
    _op("POST", END): {
        **_common(_op("POST", END), World.member),
        400: lambda w: w.send(_op("POST", END), w.member(), {"left_at": "2000-01-01T00:00:00Z"}),
        409: lambda w: w.twice(_op("POST", END), w.member),  # CONS-03: already left
    },
    _op("GET", CONSENTS): _filtered_list(_op("GET", CONSENTS), required=True),
    _op("POST", CONSENTS): {
        **_common(_op("POST", CONSENTS), None),
        400: lambda w: w.send(_op("POST", CONSENTS), None, {**_consent_body(w.episode.pk), "purpose": "everything"}),
        409: lambda w: w.send(_op("POST", CONSENTS), None, _consent_body(w.closed_episode().pk)),  # CONS-01
    },
    _op("POST", CONSENT_WITHDRAW): {
        **_common(_op("POST", CONSENT_WITHDRAW), World.consent),
        400: lambda w: w.send(_op("POST", CONSENT_WITHDRAW), w.consent(), {"reason": ["pas", "un", "texte"]}),
        409: lambda w: w.twice(_op("POST", CONSENT_WITHDRAW), w.consent),  # CONS-01: already withdrawn
    },
    _op("GET", OPPOSITIONS): _filtered_list(_op("GET", OPPOSITIONS), required=True),
    _op("POST", OPPOSITIONS): {
        **_common(_op("POST", OPPOSITIONS), None),
        400: lambda w: w.send(_op("POST", OPPOSITIONS), None, {"patient": str(w.patient.public_id), "kind": "all"}),
        409: lambda w: (
            w.opposition(),
            w.send(  # CONS-06: the same opposition is already in force
                _op("POST", OPPOSITIONS),
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
    _op("POST", OPPOSITION_WITHDRAW): {
        **_common(_op("POST", OPPOSITION_WITHDRAW), World.opposition),
        400: lambda w: w.send(_op("POST", OPPOSITION_WITHDRAW), w.opposition(), {"reason": {"texte": 1}}),
        409: lambda w: w.twice(_op("POST", OPPOSITION_WITHDRAW), w.opposition),  # CONS-06: already withdrawn
    },
    _op("GET", EMERGENCIES): _filtered_list(_op("GET", EMERGENCIES)),
    _op("POST", EMERGENCIES): {
        **_common(_op("POST", EMERGENCIES), None),
        # CONS-05: no justification, no emergency access
        400: lambda w: w.send(
            _op("POST", EMERGENCIES), None, {**_emergency_body(w, w.episode.pk), "justification": ""}
        ),
        409: lambda w: w.send(_op("POST", EMERGENCIES), None, _emergency_body(w, w.closed_episode().pk)),  # CONS-01
    },
    _op("GET", DECISIONS): _filtered_list(_op("GET", DECISIONS)),
    _op("POST", DECISIONS): {
        **_common(_op("POST", DECISIONS), None),
        400: lambda w: w.send(
            _op("POST", DECISIONS),
            None,
            {"patient": str(w.patient.public_id), "professional": w.professional(), "episode": w.episode.pk},
        ),
    },
}
FIELDS = {
    _op("POST", "professionals/"): "national_id",
    _op("PATCH", PRO): "card_type",
    _op("POST", EPS): "patient",
    _op("PATCH", EP): "ended_at",
    _op("POST", TEAM): "professional",
    _op("POST", END): "left_at",
    _op("POST", CONSENTS): "purpose",
    _op("POST", CONSENT_WITHDRAW): "reason",
    _op("POST", OPPOSITIONS): "kind",
    _op("POST", OPPOSITION_WITHDRAW): "reason",
    _op("POST", EMERGENCIES): "justification",
    _op("POST", DECISIONS): "purpose",
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
        _op("POST", "professionals/"): lambda: (None, _professional_body(w)),
        _op("PATCH", PRO): lambda: (w.professional(), {**_professional_body(w, "810009999999")}),
        _op("POST", EPS): lambda: (None, episode),
        _op("PATCH", EP): lambda: (w.fresh_episode(), {"unit": "U", "ended_at": "2030-01-01T00:00:00Z"}),
        _op("POST", TEAM): lambda: (w.episode.pk, {"professional": w.professional(), "role": "IDE", "joined_at": None}),
        _op("POST", END): lambda: (w.member(), {"left_at": "2030-01-01T00:00:00Z", "reason": "r"}),
        _op("POST", CONSENTS): lambda: (None, {**_consent_body(w.episode.pk), "professional": None, "reason": "r"}),
        _op("POST", CONSENT_WITHDRAW): lambda: (w.consent(), {"reason": "r"}),
        _op("POST", OPPOSITIONS): lambda: (None, opposition),
        _op("POST", OPPOSITION_WITHDRAW): lambda: (w.opposition(), {"reason": "r"}),
        _op("POST", EMERGENCIES): lambda: (None, _emergency_body(w, w.episode.pk)),
        _op("POST", DECISIONS): lambda: (None, decision),
    }
    return makers[operation_id]()


WRITES = [op for op in SCENARIOS if not op.startswith(("GET", "DELETE"))]


@pytest.mark.parametrize("operation_id", WRITES)
def test_wrong_field_values_never_cause_a_500_on_consent(schema, world, operation_id):
    obj_id, body = _body(world, operation_id)
    for name in [*body, "at", "patient"]:
        for value in WRONG_VALUES:
            response = world.send(operation_id, obj_id, {**body, name: value})
            assert_no_server_error(response, documented_codes(schema, operation_id))


@pytest.mark.parametrize("operation_id", WRITES)
def test_non_json_and_malformed_bodies_never_cause_a_500_on_consent(schema, world, operation_id):
    obj_id, _ = _body(world, operation_id)
    for raw in RAW_BODIES:
        for content_type in (
            "application/json",
            "text/plain",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            response = world.send(operation_id, obj_id, raw, content_type=content_type)
            assert_no_server_error(response, documented_codes(schema, operation_id))


@pytest.mark.parametrize("operation_id", list(SCENARIOS))
def test_bad_ids_and_filters_never_cause_a_500_on_consent(schema, world, operation_id):
    method, path = operation_id.split(" ", 1)
    if "{id}" in path:
        for bad_id in [*BAD_IDS, "-1", str(10**30), "1e3"]:
            url = path.replace("{id}", bad_id)
            response = world.root.generic(method, url, "{}", content_type="application/json")
            assert response.status_code == 404, (url, response.status_code)
            assert_error_shape(response)
    elif method == "GET":
        for value in ["", "\x00", "x" * 5000, "1", str(10**30), "{}"]:
            response = world.root.get(path, {"patient": value})
            assert_no_server_error(response, documented_codes(schema, operation_id))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_json_bodies_never_cause_a_500_on_consent(schema, world, data):
    operation_id = data.draw(st.sampled_from(WRITES))
    obj_id, base = _body(world, operation_id)
    body = data.draw(
        st.fixed_dictionaries({k: st.one_of(st.just(v), json_values) for k, v in base.items()})
        | st.dictionaries(st.text(max_size=20), json_values, max_size=5)
    )
    response = world.send(operation_id, obj_id, json.loads(json.dumps(body)))
    assert_no_server_error(response, documented_codes(schema, operation_id))
