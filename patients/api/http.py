"""HTTP plumbing of the patients API: permissions, ETag/If-Match, lookup, pagination, error docs."""

import re
import uuid
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.exceptions import PreconditionFailed, PreconditionRequired
from identity_registry.pagination import query_int
from patients.api.serializers import ErrorOutput
from patients.lookup import resolve_survivor
from patients.models import Patient

STRONG_ETAG = re.compile(r'^"(\d{1,9})"$')


class SafeJSONParser(JSONParser):
    """JSON parser that answers 400, not 500, to a body nested deeper than Python's recursion limit."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise drf_exceptions.ParseError("Le corps JSON est imbriqué trop profondément.") from exc


class HasModelPermission(BasePermission):
    """Grant a request when the user holds the permission the view maps to its method (never a group name)."""

    message = "Votre rôle ne permet pas cette action."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "OPTIONS" or request.method.lower() not in view.http_method_names:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # let DRF answer 405 Method Not Allowed
        method = "GET" if request.method == "HEAD" else request.method
        perm = view.required_permissions.get(method)
        return bool(perm) and request.user.has_perm(perm)


def patient_or_404(public_id: str) -> Patient:
    """Find a patient by its public UUID; a malformed UUID is simply not found."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    patient = Patient.objects.filter(public_id=key).first() if key else None
    if patient is None:
        raise drf_exceptions.NotFound("Identité introuvable.")
    return patient


def merged_redirect(request: Request, patient: Patient) -> Response | None:
    """AUD-05: a merged identity's id resolves to its survivor by a 308 redirect (None when not merged).

    Not cached (no-store): an unmerge makes the old id answer for itself again.
    """
    if patient.merged_into_id is None:
        return None
    survivor = resolve_survivor(patient)
    location = request.build_absolute_uri(reverse("patients-api:patient-detail", args=[survivor.public_id]))
    body = {
        "code": "merged",
        "message": "Cette identité a été fusionnée : utilisez l'identité conservée (règle AUD-05).",
        "details": {"merged_into": {"id": str(survivor.public_id), "ipp": survivor.ipp}},
    }
    return Response(body, status=308, headers={"Location": location, "Cache-Control": "no-store"})


def etag(patient: Patient) -> str:
    return f'"{patient.version}"'


def with_etag(response: Response, patient: Patient) -> Response:
    response["ETag"] = etag(patient)
    return response


def expected_version(request: Request) -> int:
    """Read If-Match: missing → 428; anything but the strong ETag of a version → 412."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw or raw == "*":
        raise PreconditionRequired(
            "Cette modification exige l'en-tête If-Match avec l'ETag de votre dernière lecture de l'identité.",
            details={"If-Match": ['En-tête obligatoire, par exemple If-Match: "3".']},
        )
    match = STRONG_ETAG.match(raw)
    if not match:
        raise PreconditionFailed(
            "L'en-tête If-Match ne correspond à aucune version de l'identité : relisez-la avant de la modifier.",
            details={"If-Match": ['Attendu : l\'ETag renvoyé à la lecture, par exemple "3".']},
        )
    return int(match.group(1))


class PatientCursorPagination(CursorPagination):
    # Ordered by the internal id: the cursor then never carries a trait (no health data in URLs).
    ordering = ("id",)
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        size = query_int(request, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except drf_exceptions.NotFound as exc:
            raise drf_exceptions.ValidationError({"cursor": ["Curseur de pagination invalide."]}) from exc


ERROR_DESCRIPTIONS = {
    400: "Invalid input; `details` names each field in error.",
    401: "No valid token or session.",
    403: "The user's role lacks the permission for this endpoint.",
    404: "No identity has this id.",
    409: "The request conflicts with a rule; `code` is the rule ID (e.g. ST-05).",
    412: "If-Match does not match the current version: nothing was changed; read the identity again.",
    415: "The body is not JSON.",
    422: "The Idempotency-Key was already used with a different body.",
    428: "If-Match is missing: send the ETag of your last read.",
}
READ_ERRORS = (401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 415, 428)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorOutput, description=ERROR_DESCRIPTIONS[code]) for code in codes}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=STRONG_ETAG.pattern,
    description='The ETag of your last read, e.g. "3". Missing: 428. Stale: 412.',
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="The identity's version, to send back in If-Match.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retry with the same key and body returns the first result.",
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201],
    description='"true" when this response is the stored result of an earlier request with the same key.',
)
