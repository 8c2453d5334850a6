"""Garbage input earns its exact 4xx and writes nothing: wrong types, huge strings, bad dates, bad ids, bad headers,
non-JSON bodies (issue 8 item 24). Every error keeps the one JSON shape.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patients.api.serializers import (
    AttributeInput,
    DowngradeInput,
    PatientCreateInput,
    PatientSearchInput,
    PatientUpdateInput,
    ValidateDocumentInput,
)
from tests.factories import PatientFactory
from tests.identity_registry.garbage import assert_refused, db_state, garbage_for
from tests.patients.api.endpoints import ENDPOINTS, Endpoint

pytestmark = pytest.mark.django_db

# The wrong values per kind of field are in tests/identity_registry/garbage.py.
RAW_BODIES = [
    b"not json at all",
    b"{",
    b"[]",
    b"[1, 2, 3]",
    b"42",
    b"null",
    b'"string"',
    b'{"birth_name": "\\ud800"}',
    b'{"birth_name": "A", "birth_name": "B"}',
    b"\xff\xfe\x00garbage",
    b"{" * 5000,
    b"[" * 200_000,
    b'{"a":' * 100_000,
    b'{"birth_name": "' + b"A" * 3_000_000 + b'"}',
    b'{"name": NaN, "birth_name": Infinity}',
]
BAD_IDS = ["not-a-uuid", "0", "%00", "x" * 3000, "..", "12345678-1234-5678-1234-56781234567Z"]
BAD_IF_MATCH = ['W/"1"', '"-1"', '"99999999999999999999"', "abc", "*", '"1", "2"', "\u00e9", '""']
BAD_KEYS = ["k" * 300, "clé", " ", "a b"]


@pytest.fixture
def documented(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return lambda e: {200, 201} | {int(c) for c in schema["paths"][e.path][e.method.lower()]["responses"]}


def check(endpoint: Endpoint, response, documented) -> None:
    assert response.status_code < 500, (endpoint.name, response.status_code)
    assert response.status_code in documented(endpoint), (endpoint.name, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "details"}


def fresh(endpoint: Endpoint):
    return endpoint.make_patient() if endpoint.suffix is not None else None


# Issue 8 item 24: each garbage input earns its exact 4xx, and the database is left as it was.
INPUTS = {
    "create": PatientCreateInput,
    "search": PatientSearchInput,
    "update": PatientUpdateInput,
    "validate_document": ValidateDocumentInput,
    "attributes": AttributeInput,
    "downgrade": DowngradeInput,
}
WRITES = [e for e in ENDPOINTS if e.method != "GET"]


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: e.name)
def test_each_wrong_field_value_is_a_400_and_changes_nothing(endpoint, referent_client):
    patient = fresh(endpoint)
    fields = INPUTS[endpoint.name]().fields
    names = [*(endpoint.body or {}), "birth_date", "sex", "reason", "cursor"]
    before = db_state()
    for name in dict.fromkeys(names):
        for value in garbage_for(fields.get(name)):
            body = {**(endpoint.body or {}), name: value}
            response = endpoint.call(referent_client, patient, data=body)
            assert_refused(response, 400)
            assert name in response.json()["details"] or endpoint.name == "search", (name, response.json())
    assert db_state() == before


# A body that is not a JSON object of the input: 415 for another media type, 400 for JSON that is not the input.
LEGIT_RAW = {("update", b'{"birth_name": "A", "birth_name": "B"}')}  # JSON keeps the last key: a real change


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: e.name)
def test_non_json_and_malformed_bodies_are_415_or_400_and_change_nothing(endpoint, referent_client):
    patient = fresh(endpoint)
    before = db_state()
    for raw in RAW_BODIES:
        if (endpoint.name, raw) in LEGIT_RAW:
            continue
        for content_type in ("application/json", "text/plain", "multipart/form-data", "application/xml"):
            response = endpoint.call(referent_client, patient, data=raw, format=None, content_type=content_type)
            expected = 400 if content_type == "application/json" else 415
            assert_refused(response, expected)
    assert db_state() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.suffix is not None], ids=lambda e: e.name)
def test_bad_ids_are_404_and_bad_if_match_412_or_428(endpoint, referent_client):
    before = db_state()
    for bad_id in BAD_IDS:
        url = f"/api/v1/patients/{bad_id}/{endpoint.suffix}"
        response = getattr(referent_client, endpoint.method.lower())(url, endpoint.body, format="json")
        assert_refused(response, 404)
    assert db_state() == before
    patient = fresh(endpoint)
    if not endpoint.needs_if_match:
        return  # a read ignores If-Match
    before = db_state()
    for value in BAD_IF_MATCH:
        response = endpoint.call(referent_client, patient, headers={"HTTP_IF_MATCH": value})
        assert_refused(response, 428 if value == "*" else 412)
    assert db_state() == before


@pytest.mark.parametrize(
    "query", ["cursor=%%%", "cursor=" + "Q" * 5000, "page_size=abc", "page_size=-1", "page_size=1e99"]
)
def test_bad_search_query_parameters_are_a_400_naming_them(query, referent_client):
    endpoint = next(e for e in ENDPOINTS if e.name == "search")
    PatientFactory(birth_name="MARTIN")
    before = db_state()
    response = referent_client.post(f"{endpoint.path}?{query}", endpoint.body, format="json")
    assert_refused(response, 400)
    assert query.split("=")[0] in response.json()["details"]
    assert db_state() == before


def test_bad_idempotency_keys_are_400_naming_the_header(referent_client):
    endpoint = next(e for e in ENDPOINTS if e.name == "create")
    for key in BAD_KEYS:
        response = endpoint.call(referent_client, None, headers={"HTTP_IDEMPOTENCY_KEY": key})
        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()["details"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_json_bodies_never_cause_a_500(referent_client, documented, data):
    endpoint = data.draw(st.sampled_from([e for e in ENDPOINTS if e.method != "GET"]))
    base = endpoint.body or {}
    body = data.draw(
        st.fixed_dictionaries({k: st.one_of(st.just(v), json_values) for k, v in base.items()})
        | st.dictionaries(st.text(max_size=20), json_values, max_size=5)
    )
    patient = fresh(endpoint)
    before = db_state()
    response = endpoint.call(referent_client, patient, data=json.loads(json.dumps(body)))
    check(endpoint, response, documented)
    if response.status_code >= 400:
        assert db_state() == before  # a refusal writes nothing
