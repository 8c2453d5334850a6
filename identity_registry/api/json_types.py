"""JSON types as the schema states them: DRF coerces ``0`` into ``"0"`` and ``"true"`` into ``True``; we don't.

A client that sends a number where the schema says ``string`` (or the text ``"true"`` where it says ``boolean``)
has a bug the registry should name, not hide (issue 11, fuzzing: "schema-violating request accepted").
"""

from typing import Any

from rest_framework import serializers

from identity_registry.api.fields import RowIdField

TEXT_FIELDS = (
    serializers.CharField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.UUIDField,
)
MESSAGES = {
    "string": "Texte attendu (chaîne JSON entre guillemets).",
    "boolean": "Booléen attendu : true ou false.",
    "integer": "Nombre entier attendu.",
    "number": "Nombre attendu.",
    "array": "Liste attendue.",
    "object": "Objet JSON attendu.",
}


def expected_json_type(field: serializers.Field) -> str | None:
    """The JSON type the schema gives ``field``'s input, or None when the field reads several."""
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, (serializers.IntegerField, RowIdField)):
        return "integer"
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return "number"
    if isinstance(field, (serializers.ListField, serializers.MultipleChoiceField, serializers.ListSerializer)):
        return "array"
    if isinstance(field, (serializers.DictField, serializers.Serializer)):
        return "object"
    if isinstance(field, serializers.ChoiceField):
        return "string" if all(isinstance(key, str) for key in field.choices) else None
    if isinstance(field, TEXT_FIELDS):
        return "string"
    return None


def _is(value: Any, json_type: str) -> bool:
    if json_type == "string":
        return isinstance(value, str)
    if json_type == "boolean":
        return isinstance(value, bool)
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if json_type == "array":
        return isinstance(value, list)
    return isinstance(value, dict)


def type_errors(fields: dict[str, serializers.Field], data: dict[str, Any]) -> dict[str, list[str]]:
    """Field name → message, for each value of ``data`` whose JSON type is not the one its field declares.

    ``null`` is left to DRF (refused unless the field allows it).
    """
    errors = {}
    for name, value in data.items():
        field = fields.get(name)
        if field is None or field.read_only or value is None:
            continue
        json_type = expected_json_type(field)
        if json_type and not _is(value, json_type):
            errors[str(name)] = [MESSAGES[json_type]]
    return errors
