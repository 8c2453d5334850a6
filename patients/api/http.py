"""HTTP plumbing of the patients API: ETag/If-Match, lookup, pagination, error docs."""

import re
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.docs import ErrorDocs
from identity_registry.exceptions import PreconditionFailed, PreconditionRequired
from identity_registry.pagination import StrictCursorPagination
from patients import selectors
from patients.api.idempotency import KEY_PATTERN
from patients.lookup import resolve_survivor
from patients.models import Patient

STRONG_ETAG = re.compile(r'^"(\d{1,9})"$')


def patient_or_404(public_id: object, *, active_only: bool = False) -> Patient:
    """The identity the path or a filter names; nobody (or a malformed UUID) is the API's 404."""
    patient = selectors.patient_get(public_id, active_only=active_only)
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


class PatientCursorPagination(StrictCursorPagination):
    # Ordered by the internal id: the cursor then never carries a trait (no health data in URLs).
    ordering = ("id",)
    page_size = 20
    max_page_size = 100


class PatientRankedCursorPagination(PatientCursorPagination):
    # Issue 10: a search by name pages by relevance (selectors.patient_ranked), still never by a trait.
    ordering = ("search_rank",)

    def __init__(self, page_ids: Callable[..., Any] | None = None) -> None:
        # ``page_ids(position=, reverse=, count=)``: the ids that can be on the requested page, found from
        # the indexes alone (selectors.patient_ranked_page_ids); the page is then cut from those rows only.
        self.page_ids = page_ids

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list | None:
        if self.page_ids is not None:
            cursor = self.decode_cursor(request)
            offset, reverse, position = cursor if cursor is not None else (0, False, None)
            count = offset + self.get_page_size(request) + 1
            queryset = queryset.filter(pk__in=self.page_ids(position=position, reverse=reverse, count=count))
        return super().paginate_queryset(queryset, request, view)


# Only the codes whose meaning is the patients API's own; the others are the registry's (identity_registry.api).
error_responses = ErrorDocs({404: "No identity has this id."})
READ_ERRORS = (401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 415, 428)


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
    pattern=KEY_PATTERN.pattern,  # 1 to 255 visible ASCII characters; anything else is a 400 (issue 11)
    description="Any unique string (a UUID): a retry with the same key and body returns the first result.",
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201],
    description='"true" when this response is the stored result of an earlier request with the same key.',
)
