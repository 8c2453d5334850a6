"""Serializers every app's API shares: the one error shape and the strict input base."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from identity_registry.api.json_types import type_errors
from identity_registry.inputs import BIDI_MESSAGE, has_bidi_control


class ErrorOutput(serializers.Serializer):
    """The one error shape of the API."""

    code = serializers.CharField(help_text="Machine code: a rule ID (e.g. ST-05) for a rule conflict.")
    message = serializers.CharField(help_text="A sentence in French for the person at the desk.")
    details = serializers.JSONField(allow_null=True, help_text="Field name → list of messages, or null.")


class StrictInput(serializers.Serializer):
    """An input that names every unknown field instead of silently ignoring it (status, INS: TR-11)."""

    # Every input of the API derives from it (issue 8 item 7). It also refuses, field by field, any text holding
    # a Unicode bidirectional control (issue 8 item 8), and any value whose JSON type is not the schema's: DRF
    # would read 0 as "0" and "true" as True (issue 11). A query string is all text: ``validated()`` marks it
    # ``from_query`` so its values are typed by their fields. The docstring above is the schema's description.

    rejects_unknown_fields = True  # the OpenAPI schema says additionalProperties: false

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name)[:100] for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Champ inconnu ou non modifiable par cette requête."] for name in unknown}
                )
            spoofed = sorted(str(name) for name, value in data.items() if has_bidi_control(value))
            if spoofed:
                raise serializers.ValidationError({name: [BIDI_MESSAGE] for name in spoofed})
            mistyped = {} if self.context.get("from_query") else type_errors(self.fields, dict(data))
            if mistyped:
                raise serializers.ValidationError(mistyped)
        return super().to_internal_value(data)
