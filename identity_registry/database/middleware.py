"""Opens the routing state of each request; a write pins the client to the primary for a few seconds (issue 10)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from identity_registry.database.routing import Routing, current, replicas, routing_scope, view_reads_from_replica

PIN_COOKIE = "db_primary"


class DatabaseRoutingMiddleware:
    """Reads of a declared view may go to a replica, unless this client wrote less than REPLICA_PIN_SECONDS ago.

    The pin cookie carries no data (``1``); it only says "read your own writes". A client that drops cookies
    (an API client without a cookie jar) still reads its writes within the same request, and its later
    reads of an identity (GET by id) go to the primary anyway: only search, lists and the feed use replicas.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with routing_scope(Routing(pinned=PIN_COOKIE in request.COOKIES)) as routing:
            response = self.get_response(request)
        if routing.wrote and replicas():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict) -> None:
        routing = current()
        if routing is not None and view_reads_from_replica(view_func, request.method or ""):
            routing.replica_allowed = True
