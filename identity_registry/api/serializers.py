"""Serializers every app's API shares: the one error shape and the strict input base."""

import copy
from collections.abc import Iterable, Mapping
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject

from identity_registry.api.json_types import type_errors
from identity_registry.inputs import BIDI_MESSAGE, has_bidi_control


class ErrorOutput(serializers.Serializer):
    """The one error shape of the API."""

    code = serializers.CharField(help_text="Machine code: a rule ID (e.g. ST-05) for a rule conflict.")
    message = serializers.CharField(help_text="A sentence in French for the person at the desk.")
    details = serializers.JSONField(allow_null=True, help_text="Field name → list of messages, or null.")


# No docstring: drf-spectacular would copy it into the description of every output deriving from it.
class SharedOutput(serializers.Serializer):
    # An output whose fields read nothing from the request: one instance, its fields bound once, serves every
    # call. Issue 10 (the request path): a serializer instance deep-copies its declared fields (about 40 for an
    # identity, nested ones included) before its first ``to_representation``; ``represent`` skips that by
    # reusing one instance per class and process. Only for outputs with no ``context`` (no request, no
    # hyperlinks): the same instance answers every caller. ``Cls(instance).data`` still works the same way.
    # ``to_representation`` gives what DRF's gives (tests/identity_registry/test_shared_output.py), with less
    # work per field: a plain attribute is read by ``attrgetter``; anything else goes through DRF's own path.

    @cached_property
    def _plan(self) -> list[tuple[str, Field, Any]]:
        plan = []
        for field in self._readable_fields:
            plain = len(field.source_attrs) == 1 and type(field).get_attribute is Field.get_attribute
            plan.append((field.field_name, field, attrgetter(field.source_attrs[0]) if plain else None))
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        ret: dict[str, Any] = {}
        for name, field, getter in self._plan:
            try:
                if getter is None:
                    attribute = field.get_attribute(instance)
                else:
                    try:
                        attribute = getter(instance)
                    except (AttributeError, ObjectDoesNotExist):
                        attribute = field.get_attribute(instance)  # DRF's default, null or error
                    if callable(attribute):
                        attribute = field.get_attribute(instance)  # a method DRF calls
            except SkipField:
                continue
            # As DRF: None stays None (a related field's pk-only object counts by its pk).
            empty = (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None
            ret[name] = None if empty else field.to_representation(attribute)
        return ret

    @classmethod
    def _shared(cls) -> "SharedOutput":
        shared = cls.__dict__.get("_shared_instance")
        if shared is None:
            shared = cls()
            shared.fields  # noqa: B018 - bind the fields once, here
            cls._shared_instance = shared
        return shared

    @classmethod
    def represent(cls, instance: Any) -> dict[str, Any]:
        return cls._shared().to_representation(instance)

    @classmethod
    def represent_many(cls, instances: Iterable[Any]) -> list[dict[str, Any]]:
        to_representation = cls._shared().to_representation
        return [to_representation(instance) for instance in instances]


class StrictInput(serializers.Serializer):
    """An input that names every unknown field instead of silently ignoring it (status, INS: TR-11)."""

    # Every input of the API derives from it (issue 8 item 7). It also refuses, field by field, any text holding
    # a Unicode bidirectional control (issue 8 item 8), and any value whose JSON type is not the schema's: DRF
    # would read 0 as "0" and "true" as True (issue 11). A query string is all text: ``validated()`` marks it
    # ``from_query`` so its values are typed by their fields. The docstring above is the schema's description.

    rejects_unknown_fields = True  # the OpenAPI schema says additionalProperties: false

    def get_fields(self) -> dict[str, Field]:
        # Issue 10 (the request path): DRF deep-copies each declared field, running its __init__ again, for
        # every input. A field with no child field of its own is copied as is (its settings are only read, and
        # binding it sets its name and parent on the copy); fields holding others are deep-copied as by DRF.
        return {
            name: copy.deepcopy(field)
            if hasattr(field, "child") or hasattr(field, "_declared_fields")
            else copy.copy(field)
            for name, field in self._declared_fields.items()
        }

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
