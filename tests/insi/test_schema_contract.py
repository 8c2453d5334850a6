"""The INSi endpoints document exactly the error codes they return (issue 3's contract, INSI-02's 503).

One scenario per (operation, code): each documented code is provoked, and each provoked code is documented.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from insi.api.serializers import (
    DecisionInputSerializer,
    SearchInputSerializer,
    VerifyInputSerializer,
    VitaleCardSerializer,
)
from insi.backends.simulator import SimulatorClient
from insi.client import InsiResult, TraitsQuery, VitaleQuery
from patients.models import Patient
from patients.services import identity_set_attribute, patient_update_traits
from tests.factories import UserFactory, retrieve_ins
from tests.identity_registry.contract import (
    ERROR_CODES,
    assert_no_server_error,
    assert_scenario_answer,
    documented_codes,
    documented_errors,
    load_schema,
    operation_ids,
)
from tests.identity_registry.garbage import assert_refused, db_state, garbage_for
from tests.patients.api.conftest import token_client, user_with_role
from tests.patients.api.test_garbage_input import BAD_IDS, RAW_BODIES, json_values

pytestmark = pytest.mark.django_db

BASE = "/api/v1/patients/{public_id}/insi/"
SEARCH, VERIFY, DECISION, CALLS = (
    f"POST {BASE}search/",
    f"POST {BASE}verify/",
    f"POST {BASE}decision/",
    f"GET {BASE}calls/",
)


class RacingClient(SimulatorClient):
    """The simulator, while someone else changes every identity during the call (optimistic lock, 412)."""

    def search_by_traits(self, query: TraitsQuery) -> InsiResult:
        Patient.objects.update(version=F("version") + 1)
        return super().search_by_traits(query)

    def search_with_vitale(self, query: VitaleQuery) -> InsiResult:
        Patient.objects.update(version=F("version") + 1)
        return super().search_with_vitale(query)


class World:
    """Who calls and on whom: a referent (search, verify, decide) and the INSi table's people."""

    def __init__(self, make_person: Callable[..., Patient], settings: Any) -> None:
        self.make_person = make_person
        self.settings = settings
        self.referent = token_client(user_with_role("referent"))

    def send(self, client: APIClient, operation_id: str, patient: Patient | None, body: Any = None, **kw: Any) -> Any:
        method, path = operation_id.split(" ", 1)
        public_id = patient.public_id if patient else uuid.uuid4()
        url = path.replace("{public_id}", str(public_id))
        if method == "GET":
            return client.get(url, body)  # the body, if any, is the query string
        if "content_type" in kw:
            return client.post(url, body, content_type=kw["content_type"])
        return client.post(url, body if body is not None else {}, format="json")

    def adrun(self) -> Patient:
        return self.make_person("ADRUN")

    def adrun_with_ins(self) -> Patient:
        return retrieve_ins(self.make_person("ADRUN"))

    def doubtful(self) -> Patient:
        patient = self.make_person("ADRUN")
        actor = UserFactory(username="ref")
        return identity_set_attribute(actor=actor, patient=patient, attribute="DOUT", reason="r").patient

    def pending_proposal(self) -> Patient:
        """D'ARTAGNAN known locally by one first name: INSi returns three, a referent must decide (INSI-06)."""
        patient = self.make_person("DARTAGNAN", first_names="PIERRE-ALAIN")
        outcome = self.send(self.referent, SEARCH, patient).json()
        assert outcome["outcome"] == "NEEDS_DECISION"
        patient.refresh_from_db()
        return patient

    def racing(self) -> None:
        self.settings.INSI_CLIENT = f"{__name__}.RacingClient"


ACCEPT = {"decision": "accept", "justification": "Acte de naissance vu"}


def _changed_after_proposal(w: World) -> Any:
    patient = w.pending_proposal()
    patient_update_traits(actor=UserFactory(username="other"), patient=patient, changes={"used_name": "DURAND"})
    return w.send(w.referent, DECISION, patient, ACCEPT)


def _common(operation_id: str, make: Callable[[World], Patient]) -> dict[int, Callable[[World], Any]]:
    """401, 403, 404 and (for a POST) 415 are earned the same way on every INSi endpoint."""
    scenarios: dict[int, Callable[[World], Any]] = {
        401: lambda w: w.send(APIClient(), operation_id, make(w)),
        403: lambda w: w.send(token_client(UserFactory(username="no-role")), operation_id, make(w)),
        404: lambda w: w.send(w.referent, operation_id, None),
    }
    if operation_id.startswith("POST"):
        scenarios[415] = lambda w: w.send(w.referent, operation_id, make(w), "reason=x", content_type="text/plain")
    return scenarios


# (operation, code) → scenario; the field a 400 must name.
SCENARIOS: dict[str, dict[int, Callable[[World], Any]]] = {
    SEARCH: {
        **_common(SEARCH, World.adrun),
        400: lambda w: w.send(w.referent, SEARCH, w.adrun(), {"vitale": {"individual": "123"}}),
        409: lambda w: w.send(w.referent, SEARCH, w.doubtful()),  # ST-03: a doubtful identity is not sent
        412: lambda w: (w.racing(), w.send(w.referent, SEARCH, w.adrun()))[1],
        503: lambda w: w.send(w.referent, SEARCH, w.make_person("VANDERMONDE")),  # INSI-02: a SOAP fault
    },
    VERIFY: {
        **_common(VERIFY, World.adrun_with_ins),
        400: lambda w: w.send(w.referent, VERIFY, w.adrun_with_ins(), {"reason": "R" * 501}),
        409: lambda w: w.send(w.referent, VERIFY, w.adrun()),  # ST-08: no INS to verify
        412: lambda w: (w.racing(), w.send(w.referent, VERIFY, w.adrun_with_ins()))[1],
        503: lambda w: w.send(w.referent, VERIFY, retrieve_ins(w.make_person("VANDERMONDE"))),
    },
    DECISION: {
        **_common(DECISION, World.adrun),
        400: lambda w: w.send(w.referent, DECISION, w.pending_proposal(), {**ACCEPT, "decision": "maybe"}),
        409: lambda w: w.send(w.referent, DECISION, w.adrun(), ACCEPT),  # INSI-06: nothing pending
        412: _changed_after_proposal,
    },
    CALLS: {
        **_common(CALLS, World.adrun),
        400: lambda w: w.send(w.referent, CALLS, w.adrun(), {"limit": "abc"}),  # found by fuzzing: was ignored
    },
}
FIELDS = {SEARCH: "individual", VERIFY: "reason", DECISION: "decision", CALLS: "limit"}
OPERATIONS = operation_ids(prefix="/api/v1/patients/{public_id}/insi/")


@pytest.fixture
def schema(client):
    return load_schema()


@pytest.fixture
def world(make_person, settings):
    return World(make_person, settings)


def test_every_insi_operation_of_the_schema_has_a_scenario_table():
    assert set(OPERATIONS) == set(SCENARIOS)


@pytest.mark.parametrize(("operation_id", "code"), [(op, code) for op in SCENARIOS for code in ERROR_CODES])
def test_each_documented_insi_error_is_earned_by_a_scenario_and_each_earned_one_is_documented(
    schema, world, operation_id, code
):
    documented = code in documented_errors(schema, operation_id)
    scenario = SCENARIOS[operation_id].get(code)
    assert documented == (scenario is not None), f"{operation_id} {code}: documented={documented}"
    if scenario is not None:
        assert_scenario_answer(scenario(world), code, field=FIELDS.get(operation_id))


def test_insi02_the_503_of_a_technical_failure_leaves_the_identity_untouched(world):
    patient = world.make_person("VANDERMONDE")
    before = Patient.objects.get(pk=patient.pk).version
    response = world.send(world.referent, SEARCH, patient)
    assert response.status_code == 503
    assert Patient.objects.get(pk=patient.pk).version == before
    assert Patient.objects.get(pk=patient.pk).status == "PROV"


def test_a_racing_change_during_the_call_gets_412_and_records_no_ins(world):
    patient = world.adrun()
    world.racing()
    response = world.send(world.referent, SEARCH, patient)
    assert response.status_code == 412
    patient.refresh_from_db()
    assert (patient.status, patient.ins_matricule) == ("PROV", None)


# Garbage input (issue 3: no input produces a 500); the values are the patients API's garbage.
BODIES = {SEARCH: {"reason": "r", "vitale": {"individual": "1800175056123"}}, VERIFY: {"reason": "r"}, DECISION: ACCEPT}


# Issue 8 item 24: each garbage input earns its exact 4xx, and the database is left as it was (no call logged).
INPUTS = {SEARCH: SearchInputSerializer, VERIFY: VerifyInputSerializer, DECISION: DecisionInputSerializer}


def _garbage_bodies(operation_id: str):
    base = BODIES[operation_id]
    fields = INPUTS[operation_id]().fields
    for name in dict.fromkeys([*base, "birth_rank", "proposal_id", "decision"]):
        for value in garbage_for(fields.get(name)):
            yield name, {**base, name: value}
    if operation_id == SEARCH:
        card = VitaleCardSerializer().fields
        for name in card:
            for value in garbage_for(card[name]):
                yield "vitale", {**base, "vitale": {**base["vitale"], name: value}}


@pytest.mark.parametrize("operation_id", list(BODIES))
def test_each_wrong_field_value_is_a_400_naming_it_and_changes_nothing_on_insi(world, operation_id):
    patient = world.pending_proposal() if operation_id == DECISION else world.adrun_with_ins()
    before = db_state()
    for name, body in _garbage_bodies(operation_id):
        response = world.send(world.referent, operation_id, patient, body)
        assert response.status_code == 400, (name, body, response.status_code)
        assert_refused(response, 400)
        assert name in response.json()["details"], (name, body, response.json())
    assert db_state() == before


@pytest.mark.parametrize("operation_id", list(BODIES))
def test_non_json_and_malformed_bodies_are_415_or_400_and_change_nothing_on_insi(world, operation_id):
    patient = world.adrun()
    before = db_state()
    for raw in RAW_BODIES:
        for content_type in (
            "application/json",
            "text/plain",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            response = world.send(world.referent, operation_id, patient, raw, content_type=content_type)
            assert_refused(response, 400 if content_type == "application/json" else 415)
    assert db_state() == before


@pytest.mark.parametrize("operation_id", list(SCENARIOS))
def test_bad_ids_are_404_and_bad_query_strings_400_on_insi(world, operation_id):
    method, path = operation_id.split(" ", 1)
    before = db_state()
    for bad_id in BAD_IDS:
        url = path.replace("{public_id}", bad_id)
        response = world.referent.generic(method, url, "{}", content_type="application/json")
        assert_refused(response, 404)
    assert db_state() == before
    if method != "GET":
        return  # a write has no query parameters
    patient = world.adrun()
    for query in ("limit=abc", "offset=-5", "offset=%00", "limit=0"):
        url = path.replace("{public_id}", str(patient.public_id)) + "?" + query
        response = world.referent.generic(method, url, "{}", content_type="application/json")
        assert_refused(response, 400)
        assert query.split("=")[0] in response.json()["details"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_json_bodies_never_cause_a_500_on_insi(schema, world, data):
    operation_id = data.draw(st.sampled_from(list(BODIES)))
    base = BODIES[operation_id]
    body = data.draw(
        st.fixed_dictionaries({k: st.one_of(st.just(v), json_values) for k, v in base.items()})
        | st.dictionaries(st.text(max_size=20), json_values, max_size=5)
    )
    patient = world.adrun()
    before = db_state()
    response = world.send(world.referent, operation_id, patient, json.loads(json.dumps(body)))
    assert_no_server_error(response, documented_codes(schema, operation_id))
    if response.status_code >= 400 and response.status_code != 503:
        assert db_state() == before  # a refusal writes nothing (a 503 logs its failed call: INSI-02)
