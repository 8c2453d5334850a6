"""Every operation of /api/schema/ keeps the common contract: 401, 403 and 404 answered and documented, one error shape.

The operations are read from the schema itself, so an endpoint added later is covered without touching this file.
"""

import uuid
from typing import Any

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.identity_registry.contract import (
    ERROR_FIELDS,
    assert_error_shape,
    load_schema,
    lookup,
    operation_ids,
    operations,
)
from tests.patients.api.conftest import token_client

pytestmark = pytest.mark.django_db

UNKNOWN_INTEGER_ID = 2_000_000_000  # fits an integer primary key, and no test creates that many rows


def path_parameters(schema: dict[str, Any], path: str, operation: dict[str, Any]) -> list[dict[str, Any]]:
    shared = schema["paths"][path].get("parameters", [])
    return [p for p in [*shared, *operation.get("parameters", [])] if p["in"] == "path"]


def unknown_url(schema: dict[str, Any], path: str, operation: dict[str, Any]) -> str:
    """The path with each parameter replaced by an id nothing has: a random UUID or a large integer."""
    url = path
    for parameter in path_parameters(schema, path, operation):
        kind = parameter.get("schema", {}).get("type")
        value = UNKNOWN_INTEGER_ID if kind == "integer" else uuid.uuid4()
        url = url.replace("{" + parameter["name"] + "}", str(value))
    return url


def call(client: APIClient, method: str, url: str) -> Any:
    """Send an empty JSON request; a stale-looking If-Match lets writes guarded by it reach their lookup."""
    headers = {"HTTP_IF_MATCH": '"1"'}
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, {}, format="json", **headers)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


OPERATIONS = operation_ids()
WITH_PATH_PARAMETER = [op for op in OPERATIONS if "{" in op]


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return load_schema()


def test_the_schema_is_valid_openapi_3_and_lists_the_operations_under_test(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {f"{m.upper()} {p}" for p, m, _ in operations(schema)} == set(OPERATIONS)
    assert len(OPERATIONS) >= 30  # patients, INSi and consent


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_documented_error_uses_the_one_error_body(schema, operation_id):
    _, _, operation = lookup(schema, operation_id)
    errors = {code: r for code, r in operation["responses"].items() if int(code) >= 400}
    assert errors, f"{operation_id} documents no error at all"
    for code, response in errors.items():
        body = resolve(schema, response["content"]["application/json"]["schema"])
        assert set(body["properties"]) == ERROR_FIELDS, (operation_id, code)
        assert set(body["required"]) == ERROR_FIELDS, (operation_id, code)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_an_anonymous_request_gets_a_documented_401(schema, operation_id):
    path, method, operation = lookup(schema, operation_id)
    response = call(APIClient(), method, unknown_url(schema, path, operation))
    assert response.status_code == 401, (operation_id, response.content[:200])
    assert 401 in {int(c) for c in operation["responses"]}, operation_id
    assert_error_shape(response)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_a_user_without_any_role_gets_a_documented_403(schema, operation_id):
    path, method, operation = lookup(schema, operation_id)
    client = token_client(UserFactory(username="no-role"))
    response = call(client, method, unknown_url(schema, path, operation))
    assert response.status_code == 403, (operation_id, response.content[:200])
    assert 403 in {int(c) for c in operation["responses"]}, operation_id
    assert_error_shape(response)


@pytest.mark.parametrize("operation_id", WITH_PATH_PARAMETER)
def test_an_unknown_id_in_the_path_gets_a_documented_404(schema, operation_id):
    path, method, operation = lookup(schema, operation_id)
    client = token_client(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = call(client, method, unknown_url(schema, path, operation))
    assert response.status_code == 404, (operation_id, response.content[:200])
    assert 404 in {int(c) for c in operation["responses"]}, operation_id
    assert_error_shape(response)


def test_the_schema_generates_without_a_warning_so_no_component_hides_another(tmp_path):
    # Two serializers with one component name (INSi's and consent's DecisionInput) made one of them vanish.
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
