"""The error tree of the registry and the one DRF handler that maps it to HTTP."""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A refusal the user can understand: a code, a French message and optional details."""

    http_status = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details


class InvalidInput(ApplicationError):
    """Input that breaks a format rule (TR-03 characters, a bad key...)."""

    http_status = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


class RuleViolation(ApplicationError):
    """A request that conflicts with an RNIV rule; ``code`` is the rule ID (e.g. ``ST-05``)."""

    http_status = status.HTTP_409_CONFLICT
    default_code = "conflict"


class InvalidTransition(RuleViolation):
    """A status or attribute change the rules forbid."""


class Discordance(RuleViolation):
    """INSi returned an identity that does not match the local one."""


class PreconditionFailed(ApplicationError):
    """The client's version is stale (optimistic concurrency)."""

    http_status = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(ApplicationError):
    """A write arrived without If-Match."""

    http_status = 428
    default_code = "precondition_required"


class InsiUnavailable(ApplicationError):
    """The INSi teleservice failed technically (INSI-02)."""

    http_status = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "insi_unavailable"


# A lost database connection (a backend killed by pg_terminate_backend, a server restarting, a lock wait
# that timed out): the request failed as a whole, its atomic blocks rolled back, and a retry may succeed.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def database_unavailable_body() -> dict[str, Any]:
    return _body(
        "database_unavailable",
        "La base de données est momentanément indisponible : rien n'a été enregistré. Réessayez dans un instant.",
    )


def _invalid_message(detail: Any) -> str:
    """Name the fields in error, so the message alone tells the person what to fix."""
    if isinstance(detail, dict) and len(detail) == 1:
        name, messages = next(iter(detail.items()))
        if isinstance(messages, list) and len(messages) == 1 and isinstance(messages[0], str):
            # One field, one message: say it whole, so the message alone tells the person what to fix.
            return f"Données invalides ({name}) : {messages[0]}"
    if isinstance(detail, dict) and detail:
        return "Données invalides : " + ", ".join(str(name) for name in detail) + "."
    return "Données invalides."


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error to ``{"code", "message", "details"}`` with the right HTTP status."""
    if isinstance(exc, ApplicationError):
        return Response(_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, DATABASE_UNAVAILABLE):
        response = Response(database_unavailable_body(), status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(
            _body("request_too_large", "Le corps de la requête est trop volumineux."),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        response.data = _body("invalid", _invalid_message(exc.detail), exc.detail)
    elif isinstance(exc, drf_exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (dict, list)) else "Erreur."
        response.data = _body(getattr(detail, "code", exc.default_code) or exc.default_code, message)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: an API path no route matches (``/patients/not-a-uuid/``) answers in the one JSON shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(_body("not_found", "Ressource introuvable."), status=404)
    if request.path.startswith("/fhir/"):
        # Issue 13: FHIR errors are OperationOutcome resources (built here: this module imports no app).
        issue = {"severity": "error", "code": "not-found", "diagnostics": "Ressource introuvable."}
        body = {"resourceType": "OperationOutcome", "issue": [issue]}
        return JsonResponse(body, status=404, content_type="application/fhir+json")
    return defaults.page_not_found(request, exception)
