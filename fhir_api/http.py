"""HTTP plumbing of the FHIR endpoint: media types, ``_format``, OperationOutcome errors, the base view.

Authentication, permissions, throttling and the error mapping are the REST API's own (identity_registry.api);
only the shape of the answers changes: FHIR JSON, and errors as OperationOutcome.
"""

import logging
from typing import Any

from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from fhir_api.codes import FHIR_JSON
from identity_registry.api.parsers import SafeJSONParser
from identity_registry.api.views import RegistryAPIView
from identity_registry.exceptions import api_exception_handler

logger = logging.getLogger(__name__)

# FHIR's _format values meaning JSON; anything else (xml, turtle) is refused with 406.
JSON_FORMATS = {"json", "application/json", FHIR_JSON}
# OperationOutcome issue type (http://hl7.org/fhir/issue-type) of each HTTP status.
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
    503: "transient",
}


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"


class PlainJSONRenderer(JSONRenderer):
    """``application/json``, for clients that ask for it (FHIR allows it as a synonym)."""


class FhirJSONParser(SafeJSONParser):
    media_type = FHIR_JSON


class _NoFormatOverride:
    # DRF's ``?format=`` override is not FHIR: ``format`` is then an unknown search parameter (400).
    URL_FORMAT_OVERRIDE = None


class FhirContentNegotiation(DefaultContentNegotiation):
    """FHIR's ``_format`` wins over Accept (json only: anything else is a 406)."""

    settings = _NoFormatOverride()

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        wanted = request.query_params.get("_format")
        if wanted is not None:
            if wanted.split(";")[0].strip() not in JSON_FORMATS:
                raise drf_exceptions.NotAcceptable("Seul le format JSON est servi (_format=json).")
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, None)


def operation_outcome(message: str, *, http_status: int, code: str = "", details: Any = None) -> dict[str, Any]:
    """One error issue: the French message in ``diagnostics``, the registry's code (a rule ID) in ``details``."""
    issue: dict[str, Any] = {
        "severity": "error",
        "code": ISSUE_TYPES.get(http_status, "processing" if http_status < 500 else "exception"),
        "diagnostics": message or "Erreur.",
    }
    if code:
        issue["details"] = {"coding": [{"code": code}], "text": code}
    issues = [issue]
    if isinstance(details, dict):
        # One issue per field in error, named by its FHIR expression (the parameter or the element).
        for name, messages in details.items():
            for text in messages if isinstance(messages, list) else [messages]:
                row = {"severity": "error", "code": issue["code"], "diagnostics": str(text) or "Erreur."}
                if str(name).strip():
                    row["expression"] = [str(name)]
                issues.append(row)
    return {"resourceType": "OperationOutcome", "issue": issues}


def fhir_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """The REST API's mapping of errors to HTTP statuses, answered as an OperationOutcome (never a bare 500)."""
    response = api_exception_handler(exc, context)
    if response is None:
        request = context.get("request")
        # The path only: a search's criteria (traits) never go to the logs.
        logger.exception("unexpected error on FHIR %s %s", getattr(request, "method", ""), getattr(request, "path", ""))
        body = operation_outcome("Erreur interne du serveur.", http_status=500)
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    data = response.data if isinstance(response.data, dict) else {}
    response.data = operation_outcome(
        str(data.get("message") or "Erreur."),
        http_status=response.status_code,
        code=str(data.get("code") or ""),
        details=data.get("details"),
    )
    return response


# No docstring: drf-spectacular would copy it into the schema (the FHIR views are left out of it anyway).
class FhirView(RegistryAPIView):
    renderer_classes = [FhirJSONRenderer, PlainJSONRenderer]
    parser_classes = [FhirJSONParser, SafeJSONParser]
    content_negotiation_class = FhirContentNegotiation
    # The same roles as GET /api/v1/patients/{id}/ (patients.view_patient): reading identities.
    required_permissions = {"GET": "patients.view_patient", "POST": "patients.view_patient"}

    def get_exception_handler(self) -> Any:
        return fhir_exception_handler


class FhirFormView(FhirView):
    # POST _search: the criteria come as a form body (FHIR's way to keep them out of the URL).
    parser_classes = [FormParser]
