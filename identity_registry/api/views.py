"""The base of every API view: JSON in, one permission class, and ``validated()`` for the input serializer."""

from typing import Any

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from identity_registry.api.parsers import SafeJSONParser
from identity_registry.api.permissions import MethodPermission


# No docstring: drf-spectacular would copy it into every operation's description.
class RegistryAPIView(APIView):
    # Authenticated, JSON only (a body nested too deep is a 400), one permission per method.
    permission_classes = [IsAuthenticated, MethodPermission]
    parser_classes = [SafeJSONParser]
    required_permissions: dict[str, str] = {}


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validate ``data`` with the input serializer (400 naming each field otherwise) and return its values.

    Query parameters are read as a plain mapping (the last value of each): DRF's form semantics would read
    ``?national_id=`` as "absent" where the schema says the value may not be empty (issue 11).
    """
    if isinstance(data, QueryDict):
        data = data.dict()
        kwargs["context"] = {**kwargs.get("context", {}), "from_query": True}
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
