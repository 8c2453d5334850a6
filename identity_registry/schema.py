"""OpenAPI generation: the schema states what the API really accepts, so a client can trust it."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from identity_registry.api.docs import ERROR_DESCRIPTIONS
from identity_registry.api.serializers import ErrorOutput
from identity_registry.inputs import BIDI_CONTROLS
from identity_registry.roles import roles_holding

# What every API operation may answer, whatever its view says: no or a bad token, a role without the permission,
# the account's throttle, a lost database (middleware). Issue 11: the schema lists every code the API returns.
ALWAYS = (401, 403, 429, 503)
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait before retrying."}
}
# Text inputs refuse NUL (DRF) and bidirectional controls (StrictInput): the schema says so by a pattern.
REFUSED_CHARACTERS = "\\x00" + BIDI_CONTROLS.pattern[1:-1]
TEXT_PATTERN = f"^[^{REFUSED_CHARACTERS}]*$"


def required_permission(view: Any, method: str) -> str | None:
    """The permission a view requires for ``method``, from its ``required_permissions`` (never a group name)."""
    return getattr(view, "required_permissions", {}).get("GET" if method == "HEAD" else method)


class RegistryAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what the serializers enforce and it does not say.

    - ``minLength: 1`` on text inputs that refuse an empty string;
    - ``additionalProperties: false`` on inputs that refuse unknown fields (``rejects_unknown_fields = True``);
    - a ``pattern`` on text inputs without one, refusing NUL and bidirectional controls (as the API does);
    - the error answers every operation may give (``ALWAYS``; 400 and 415 with a body, 404 with a path id);
    - who may call each operation: ``x-permission``, ``x-roles`` and a closing sentence of the description,
      read from the view's ``required_permissions`` and the role mappings the apps sync (ST-09), so the
      documentation cannot drift from what the API enforces.
    """

    def _roles(self) -> tuple[str | None, list[str]]:
        permission = required_permission(self.view, self.method)
        return permission, roles_holding(permission) if permission else []

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        permission = required_permission(self.view, self.method)
        if operation is None or permission is None:
            return operation
        roles = roles_holding(permission)
        who = ", ".join(f"« {role} »" for role in roles) if roles else "no role (grant the permission to a user)"
        sentence = f"**Roles:** {who} (permission `{permission}`)."
        description = operation.get("description", "")
        operation["description"] = f"{description}\n\n{sentence}" if description else sentence
        operation.update({"x-permission": permission, "x-roles": roles})
        return operation

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        codes = set(ALWAYS)
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= {400, 415}
        if "{" in self.path:
            codes.add(404)
        for code in sorted(codes):
            if str(code) not in responses:
                error = OpenApiResponse(ErrorOutput, description=ERROR_DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(error, str(code), direction=direction)
        for code in ("429", "503"):
            responses[code].setdefault("headers", {}).update(RETRY_AFTER)
        return responses

    def _map_serializer(
        self, serializer: serializers.BaseSerializer, direction: str, bypass_extensions: bool = False
    ) -> Any:
        result = super()._map_serializer(serializer, direction, bypass_extensions)
        if getattr(serializer, "rejects_unknown_fields", False) and isinstance(result, dict):
            result["additionalProperties"] = False
        return result

    def _map_serializer_field(self, field: serializers.Field, direction: str, bypass_extensions: bool = False) -> Any:
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and not field.read_only
            and isinstance(result, dict)
            and result.get("type") == "string"
            and "enum" not in result
        ):
            result.setdefault("minLength", 1)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.read_only
            and isinstance(result, dict)
            and result.get("type") == "string"
            and "enum" not in result
            and "format" not in result
        ):
            result.setdefault("pattern", TEXT_PATTERN)
        return result


def roles_table(schema: dict[str, Any], roles: list[str]) -> str:
    """The README's role × operation table, in Markdown, read from a generated schema's ``x-roles``."""
    lines = ["| operation | " + " | ".join(roles) + " |", "|---|" + "---|" * len(roles)]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "x-roles" not in operation:
                continue
            marks = " | ".join("✓" if role in operation["x-roles"] else "" for role in roles)
            lines.append(f"| `{method.upper()} {path}` | {marks} |")
    return "\n".join(lines)
