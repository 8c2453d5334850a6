"""Shared plumbing of the consent API views."""

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework.views import APIView

from consent.api.permissions import MethodPermission
from consent.api.serializers import PatientFilter
from patients.models import Patient


class ConsentAPIView(APIView):
    permission_classes = [MethodPermission]
    required_permissions: dict[str, str] = {}


def validated(serializer_class: type, data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def patient_from_query(request: Any) -> Patient | None:
    """The ``?patient=<public_id>`` filter; an unknown patient is a 404."""
    params = validated(PatientFilter, request.query_params)
    if not params.get("patient"):
        return None
    return get_object_or_404(Patient, public_id=params["patient"], is_active=True)
