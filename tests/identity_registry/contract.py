"""Helpers of the API contract tests: read /api/schema/, list its operations, check the one error body."""

import re
from typing import Any

from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from identity_registry.api.docs import ERROR_DESCRIPTIONS

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_FIELDS = {"code", "message", "details"}
RULE_ID = re.compile(r"^[A-Z]{2,4}-\d{2}$")  # e.g. ST-05, INSI-06, CONS-01, PRO-01
ERROR_CODES = (400, 401, 403, 404, 409, 412, 415, 422, 428, 503)


def load_schema() -> dict[str, Any]:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the schema."""
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def operation_ids(prefix: str = "") -> list[str]:
    """``"POST /api/v1/..."`` for every operation, read at collection time so each gets its own test id."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return [f"{method.upper()} {path}" for path, method, _ in operations(generated) if path.startswith(prefix)]


def lookup(schema: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    method, path = operation_id.split(" ", 1)
    return path, method.lower(), schema["paths"][path][method.lower()]


# Answers every operation documents (issue 11: throttle, lost database), earned by their own tests
# (test_fix11_login_api, test_fix02_database_unavailable), not by each operation's scenario table.
REGISTRY_WIDE = (429, 503)


def documented_errors(schema: dict[str, Any], operation_id: str) -> set[int]:
    """The error codes the operation documents for itself (not the registry-wide 429 and database 503)."""
    _, _, operation = lookup(schema, operation_id)
    return {
        int(code)
        for code, answer in operation["responses"].items()
        if int(code) >= 400
        and not (int(code) in REGISTRY_WIDE and answer.get("description") == ERROR_DESCRIPTIONS[int(code)])
    }


def assert_error_shape(response: Any) -> dict[str, Any]:
    """The one error body: a non-empty code and message, and details (null or field → messages)."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == ERROR_FIELDS, body
    assert isinstance(body["code"], str) and body["code"], body
    assert isinstance(body["message"], str) and body["message"], body
    return body


def assert_scenario_answer(response: Any, code: int, *, field: str | None = None) -> None:
    """The scenario earned ``code``, in the error shape; a 400 names the field, a 409 carries a rule ID."""
    assert response.status_code == code, (code, response.status_code, response.content[:300])
    body = assert_error_shape(response)
    if code == 400:
        assert isinstance(body["details"], dict) and field in body["details"], body
    if code == 409:
        assert RULE_ID.match(body["code"]), body
    if code == 503:
        assert body["code"] == "insi_unavailable", body


def assert_no_server_error(response: Any, allowed: set[int]) -> None:
    """Garbage gets a documented 4xx (or the designed 503) in the one error shape, never a 500."""
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.content[:300])
    assert response.status_code in allowed, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert_error_shape(response)


def documented_codes(schema: dict[str, Any], operation_id: str) -> set[int]:
    _, _, operation = lookup(schema, operation_id)
    return {int(code) for code in operation["responses"]}
