"""The OpenAPI documentation of the one error shape: each operation lists the codes it can answer."""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse

from identity_registry.api.serializers import ErrorOutput

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Invalid input; `details` names each field in error.",
    401: "No valid token or session.",
    403: "The user's role lacks the permission for this endpoint.",
    404: "Nothing has this id.",
    409: "The request conflicts with a rule; `code` is the rule ID (e.g. ST-05).",
    412: "If-Match does not match the current version: nothing was changed; read the identity again.",
    415: "The body is not JSON.",
    422: "The Idempotency-Key was already used with a different body.",
    428: "If-Match is missing: send the ETag of your last read.",
    429: "Too many requests from this account (code throttled): retry after the `Retry-After` delay.",
    503: "The service is briefly unavailable (code database_unavailable): nothing was written; retry after "
    "the `Retry-After` delay.",
}


class ErrorDocs:
    """Document an operation's error answers: ``errors(400, 404)`` → drf-spectacular ``responses`` entries.

    Each app words the codes whose meaning is its own (``ErrorDocs({409: "... CONS-01 ..."})``); the others
    keep the registry-wide description.
    """

    def __init__(self, descriptions: Mapping[int, str] | None = None) -> None:
        self.descriptions = {**ERROR_DESCRIPTIONS, **(descriptions or {})}

    def __call__(self, *codes: int) -> dict[int, OpenApiResponse]:
        return {code: OpenApiResponse(ErrorOutput, description=self.descriptions[code]) for code in codes}


error_responses = ErrorDocs()
