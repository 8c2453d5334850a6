"""Serializers every app's API shares: the one error shape and the strict input base."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    """The one error shape of the API."""

    code = serializers.CharField(help_text="Machine code: a rule ID (e.g. ST-05) for a rule conflict.")
    message = serializers.CharField(help_text="A sentence in French for the person at the desk.")
    details = serializers.JSONField(allow_null=True, help_text="Field name → list of messages, or null.")


class StrictInput(serializers.Serializer):
    """An input that names every unknown field instead of silently ignoring it (status, INS: TR-11)."""

    rejects_unknown_fields = True  # the OpenAPI schema says additionalProperties: false

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(name)[:100] for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Champ inconnu ou non modifiable par cette requête."] for name in unknown}
                )
        return super().to_internal_value(data)
