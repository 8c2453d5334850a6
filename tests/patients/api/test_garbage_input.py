"""No input produces a 500: wrong types, huge strings, bad dates, bad ids, bad headers, non-JSON bodies.

Every error keeps the one JSON shape, and its status is one the endpoint documents in the schema.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.patients.api.endpoints import ENDPOINTS, Endpoint

pytestmark = pytest.mark.django_db

HUGE = "A" * 100_000
WRONG_VALUES = [
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    ["DUPONT"],
    {},
    {"nested": {"deep": [1, 2]}},
    "",
    " ",
    HUGE,
    "\x00",
    "DUP\x00ONT",
    "😀" * 50,
    "2020-13-45",
    "0000-00-00",
    "99999-01-01",
    "2020-02-30",
    "1850-01-01T10:00:00Z",
    "<script>alert(1)</script>",
    "'; DROP TABLE patients_patient; --",
]
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


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_wrong_field_values_never_cause_a_500(endpoint, referent_client, documented):
    patient = fresh(endpoint)
    fields = [*(endpoint.body or {}), "birth_date", "sex", "reason", "cursor"]
    for name in fields:
        for value in WRONG_VALUES:
            if patient:
                patient.refresh_from_db()
            body = {**(endpoint.body or {}), name: value}
            check(endpoint, endpoint.call(referent_client, patient, data=body), documented)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_non_json_and_malformed_bodies_never_cause_a_500(endpoint, referent_client, documented):
    patient = fresh(endpoint)
    for raw in RAW_BODIES:
        for content_type in ("application/json", "text/plain", "multipart/form-data", "application/xml"):
            if endpoint.method == "GET":
                continue
            response = endpoint.call(referent_client, patient, data=raw, format=None, content_type=content_type)
            check(endpoint, response, documented)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.suffix is not None], ids=lambda e: e.name)
def test_bad_ids_and_bad_headers_never_cause_a_500(endpoint, referent_client, documented):
    for bad_id in BAD_IDS:
        url = f"/api/v1/patients/{bad_id}/{endpoint.suffix}"
        response = getattr(referent_client, endpoint.method.lower())(url, endpoint.body, format="json")
        assert response.status_code in (404, 428), (url, response.status_code)
    patient = fresh(endpoint)
    for value in BAD_IF_MATCH:
        response = endpoint.call(referent_client, patient, headers={"HTTP_IF_MATCH": value})
        check(endpoint, response, documented)
        if endpoint.needs_if_match:
            assert response.status_code in (412, 428)


@pytest.mark.parametrize(
    "query", ["cursor=%%%", "cursor=" + "Q" * 5000, "page_size=abc", "page_size=-1", "page_size=1e99"]
)
def test_bad_search_query_parameters_never_cause_a_500(query, referent_client, documented):
    endpoint = next(e for e in ENDPOINTS if e.name == "search")
    response = referent_client.post(f"{endpoint.path}?{query}", endpoint.body, format="json")
    check(endpoint, response, documented)


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
    response = endpoint.call(referent_client, patient, data=json.loads(json.dumps(body)))
    check(endpoint, response, documented)
