"""Item 15: the OpenAPI is enough to integrate without reading the code.

Every check reads /api/schema/ itself, so an operation or an enum added later is covered without touching
this file.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group

from tests.identity_registry.contract import load_schema, operations

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE = re.compile(r"<!-- api_roles_table -->\n(.*?)\n<!-- /api_roles_table -->", re.S)


def enums(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every schema object with an ``enum``, wherever it sits (components, parameters, inline)."""
    found = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append((where, node))
        for key, value in node.items():
            found.extend(enums(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for value in node:
            found.extend(enums(value, where))
    return found


def test_fix15_every_operation_has_a_summary_and_a_description():
    schema = load_schema()
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(schema)
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]
    assert not missing, missing


def test_fix15_every_enum_value_is_described_by_a_label_other_than_its_code():
    schema = load_schema()
    undescribed = []
    for where, node in enums(schema):
        text = node.get("description", "")
        for value in node["enum"]:
            if value in ("", None):
                continue  # drf-spectacular's explicit blank/null choice
            line = re.search(rf"^\* `{re.escape(str(value))}` - (.+)$", text, re.M)
            if line is None or line.group(1).strip() in ("", str(value)):
                undescribed.append(f"{where}: {value}")
    assert not undescribed, undescribed


def test_fix15_each_operation_names_the_roles_whose_groups_hold_its_permission():
    schema = load_schema()
    for path, method, operation in operations(schema):
        permission = operation.get("x-permission")
        assert permission, f"{method.upper()} {path}"
        app_label, codename = permission.split(".")
        holders = Group.objects.filter(
            permissions__content_type__app_label=app_label, permissions__codename=codename
        ).values_list("name", flat=True)
        assert operation["x-roles"] == sorted(holders), f"{method.upper()} {path}"
        assert operation["description"].rstrip().endswith(f"(permission `{permission}`)."), f"{method} {path}"


def test_fix15_the_readme_role_table_is_the_one_the_schema_gives():
    from identity_registry.roles import declared_roles
    from identity_registry.schema import roles_table

    match = TABLE.search(README.read_text(encoding="utf-8"))
    assert match, "README: the api_roles_table block is missing"
    assert match.group(1) == roles_table(load_schema(), declared_roles())


def test_fix14_readme_table_lets_the_dpi_search_and_verify_through_insi():
    table = TABLE.search(README.read_text(encoding="utf-8")).group(1)
    header = [cell.strip() for cell in table.splitlines()[0].strip("|").split("|")]
    dpi = header.index("Intégration DPI")
    for action in ("search", "verify"):
        row = next(line for line in table.splitlines() if f"POST /api/v1/patients/{{public_id}}/insi/{action}/" in line)
        assert [cell.strip() for cell in row.strip("|").split("|")][dpi] == "✓", action


def _operation(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return schema["paths"][path][method]


def _enum_text(schema: dict[str, Any], name: str) -> str:
    return schema["components"]["schemas"][name]["description"]


def test_fix15_the_schema_answers_the_integrators_questions():
    schema = load_schema()
    # How a person or a software gets a token.
    assert "drf_create_token" in schema["info"]["description"]
    assert "create_api_account" in schema["info"]["description"]
    # Where the created identity's id sits.
    assert "`patient.id`" in _operation(schema, "post", "/api/v1/patients/")["description"]
    # ST-11 on INSi retrieval, and how a downgrade with withdraw_ins frees the INS.
    search = _operation(schema, "post", "/api/v1/patients/{public_id}/insi/search/")["description"]
    assert "ST-11" in search and "withdraw_ins" in search
    assert "frees" in _operation(schema, "post", "/api/v1/patients/{public_id}/downgrade/")["description"]
    # The retries INSi search runs by itself.
    assert "Retries run by the registry itself" in search
    # An explicit consent counts only for the professional it names; presumed consent needs `informed`.
    consent = _operation(schema, "post", "/api/v1/consents/")["description"]
    assert "only for that professional" in consent and "`decision: informed`" in consent
    # A refused emergency access is a 201 with decision.allowed false.
    emergency = _operation(schema, "post", "/api/v1/emergency-accesses/")["description"]
    assert "201, not a 409" in emergency and "`decision.allowed`" in emergency
    # national_id is unique, and a filter finds a professional by it.
    listing = _operation(schema, "get", "/api/v1/professionals/")
    assert "national_id" in {p["name"] for p in listing.get("parameters", [])}
    assert "unique" in _operation(schema, "post", "/api/v1/professionals/")["description"]
    # FICTI is accepted and documented; LEP says which context and rule it needs.
    attributes = [node for _, node in enums(schema) if "FICTI" in node["enum"]]
    assert attributes and all("Alias de FICT" in node["description"] for node in attributes)
    assert re.search(r"^\* `LEP` - .*minor_parent_document.*ID-05", _enum_text(schema, "DocumentTypeEnum"), re.M)


def test_fix15_each_consent_code_says_the_rule_it_brings_into_play():
    from consent.api.enum_notes import ENUM_NOTES

    schemas = load_schema()["components"]["schemas"]
    for name, notes in ENUM_NOTES.items():
        assert name in schemas, name
        assert set(notes) == set(schemas[name]["enum"]), name  # a new code needs its note
        for value in schemas[name]["enum"]:
            line = re.search(rf"^\* `{re.escape(value)}` - (.+)$", schemas[name]["description"], re.M)
            assert line and f" — {notes[value]}" in line.group(1), (name, value)
    consultation = re.search(r"^\* `given` - (.+)$", schemas["ConsentDecisionEnum"]["description"], re.M).group(1)
    assert "professionnel nommé" in consultation


def test_fix15_each_operation_that_may_answer_409_lists_its_rule_codes():
    schema = load_schema()
    silent = []
    for path, method, operation in operations(schema):
        if "409" not in operation["responses"]:
            continue
        listed = operation["description"].partition("409 codes:")[2]
        if not re.search(r"`[A-Z]{2,4}-\d{2}`", listed):
            silent.append(f"{method.upper()} {path}")
    assert not silent, silent
