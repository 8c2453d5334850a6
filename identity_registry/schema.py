"""OpenAPI generation: the schema states what the API really accepts, so a client can trust it."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class RegistryAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what the serializers enforce and it does not say.

    - ``minLength: 1`` on text inputs that refuse an empty string;
    - ``additionalProperties: false`` on inputs that refuse unknown fields (``rejects_unknown_fields = True``).
    """

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
