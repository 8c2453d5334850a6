"""Garbage in, 4xx out: no input makes the FHIR endpoint answer 500 (issue 13)."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fhir.conftest import fhir_get, fhir_post

pytestmark = pytest.mark.django_db
SLOW = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
patient_fields = st.fixed_dictionaries(
    {"resourceType": st.just("Patient")},
    optional={
        "name": json_values | st.just([{"use": "official", "family": "X", "given": ["Y"]}]),
        "gender": json_values | st.sampled_from(["male", "female", "unknown"]),
        "birthDate": json_values | st.just("1990-02-30") | st.just("2999-01-01"),
        "identifier": json_values | st.just([{"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "\x00" * 15}]),
        "extension": json_values,
    },
)


@SLOW
@given(
    resource=patient_fields | json_values,
    extra=st.lists(
        st.fixed_dictionaries(
            {"name": st.text(max_size=20)}, optional={"valueInteger": json_values, "valueBoolean": json_values}
        ),
        max_size=2,
    ),
)
def test_match_never_answers_500(dpi, resource, extra):
    body = {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": resource}, *extra]}
    response = fhir_post(dpi, "/fhir/Patient/$match", json.dumps(body))
    assert response.status_code in (200, 400), response.json()


@SLOW
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(["family", "given", "family:exact", "birthdate", "gender", "_id", "identifier", "_count",
                             "_offset", "given:exact", "x"]),
            st.text(max_size=40),
        ),
        min_size=1,
        max_size=4,
    )
)  # fmt: skip
def test_search_never_answers_500(dpi, params):
    response = fhir_get(dpi, "/fhir/Patient?" + urlencode(params))
    assert response.status_code in (200, 400), response.json()
