"""Shared plumbing of the consent API views."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse
from rest_framework.views import APIView

from consent.api.permissions import MethodPermission
from consent.api.serializers import PatientFilter
from patients.api.http import SafeJSONParser
from patients.api.serializers import ErrorOutput
from patients.models import Patient

ERROR_DESCRIPTIONS = {
    400: "Invalid input (a bad field, an unknown patient, professional or episode); `details` names the field.",
    401: "No valid token or session.",
    403: "The user's role lacks the permission for this method.",
    404: "Nothing has this id (in the path, or the `patient` filter).",
    409: "Refused by a rule; `code` is the rule ID (e.g. PRO-01, CONS-01, CONS-03, CONS-06).",
    415: "The body is not JSON.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation, all in the one error shape (checked by the contract tests)."""
    return {code: OpenApiResponse(ErrorOutput, description=ERROR_DESCRIPTIONS[code]) for code in codes}


class ConsentAPIView(APIView):
    permission_classes = [MethodPermission]
    parser_classes = [SafeJSONParser]  # JSON only; a body nested too deep is a 400, not a 500
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
