"""Cross-app HTTP middleware: identity data is never cached, and a lost database answers 503, not 500."""

import logging
from collections.abc import Callable
from functools import cached_property

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the default policy built once per process instead of once per response.

    Issue 10 (the request path): building the header took about a tenth of an API read's CPU. A response
    that changes the policy (``csp_update``, ``csp_exempt``...), a page that used the nonce, and the debug
    pages keep django-csp's own path, so every response gets the header django-csp would give it.
    """

    OVERRIDES = tuple(f"_csp_{name}{ro}" for name in ("config", "update", "replace", "exempt") for ro in ("", "_ro"))

    @cached_property
    def _defaults(self) -> list[tuple[str, str, tuple[str, ...]]]:
        headers = []
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = build_policy(**vars(PolicyParts()), report_only=report_only)
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            headers.append((header, policy, prefixes))
        return headers

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        custom = any(getattr(response, name, None) is not None for name in self.OVERRIDES)
        if custom or getattr(request, "_csp_nonce", None) is not None or response.status_code in (404, 500):
            return super().process_response(request, response)
        for header, policy, prefixes in self._defaults:
            if policy and header not in response and not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
