"""OpenAPI generation: the schema states what the API really accepts, so a client can trust it."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from identity_registry.roles import roles_holding


def required_permission(view: Any, method: str) -> str | None:
    """The permission a view requires for ``method``, from its ``required_permissions`` (never a group name)."""
    return getattr(view, "required_permissions", {}).get("GET" if method == "HEAD" else method)


class RegistryAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what the serializers enforce and it does not say.

    - ``minLength: 1`` on text inputs that refuse an empty string;
    - ``additionalProperties: false`` on inputs that refuse unknown fields (``rejects_unknown_fields = True``);
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
