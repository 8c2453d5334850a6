"""Cross-app HTTP middleware: identity data is never cached, and a lost database answers 503, not 500."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from identity_registry.exceptions import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, database_unavailable_body

logger = logging.getLogger(__name__)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer of the API and the screens (identities are health data).

    Static files are served by WhiteNoise before this middleware, so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection (a killed backend, a server restarting) answers 503 with ``Retry-After``.

    The API answers in its JSON error shape (its views map the error themselves, see
    ``api_exception_handler``); the screens get a French page. The atomic blocks of the services have
    rolled back, so nothing is half-written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, type(exception).__name__)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(database_unavailable_body(), status=503)
        else:
            # Rendered without the request: its context processors would query the lost database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
