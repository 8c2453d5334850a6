"""The served INSi simulator: reads the same envelopes as the teleservice and answers like it."""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from insi.backends.simulator import Failure, Reply, Simulator
from insi.protocol import (
    ACTION_TRAITS,
    ACTION_VITALE,
    CONTENT_TYPE,
    build_fault,
    build_result_response,
    parse_envelope,
    read_traits_request,
    read_vitale_request,
)


def simulator_allowed() -> bool:
    """The simulator runs only with DEBUG on or INSI_SIMULATOR_ALLOWED set (system check insi.E001)."""
    return bool(settings.DEBUG or settings.INSI_SIMULATOR_ALLOWED)


def _fault(subcode: str, code: str, message: str, *, sender: bool, severity: str = "fatale") -> HttpResponse:
    """INSi answers every fault with HTTP 500, Sender faults included (INSI.md)."""
    return HttpResponse(
        build_fault(subcode, code, message, sender=sender, severity=severity), status=500, content_type=CONTENT_TYPE
    )


def _cut(body: bytes) -> Iterator[bytes]:
    yield body[: len(body) // 2]
    # The connection drops mid-answer: the server closes it without the rest of the envelope.
    raise ConnectionAbortedError("simulated connection cut")


def _act(failure: Failure, reply: Reply, action: str) -> HttpResponse:
    if failure.type == "fault":
        return _fault(failure.subcode, failure.code, failure.message, sender=failure.sender, severity=failure.severity)
    if failure.type == "timeout":
        time.sleep(failure.seconds or settings.INSI_READ_TIMEOUT + 1)
        return _fault("siram_40", "insi_102", failure.message, sender=False)
    if failure.type == "malformed":
        return HttpResponse(b"<html><body>Service indisponible</body>", content_type=CONTENT_TYPE)
    assert reply.result is not None
    return StreamingHttpResponse(_cut(build_result_response(reply.result)), content_type=CONTENT_TYPE)


@csrf_exempt
@require_POST
def simulator_endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one INSi SOAP request (search by traits or with the carte Vitale)."""
    if not simulator_allowed():
        raise Http404
    try:
        action, element = parse_envelope(request.body)
    except ValueError:
        # A plain SOAP Sender fault: INSi's own code for an unreadable request is not known, none is invented.
        return _fault("", "", "Requête SOAP invalide.", sender=True)
    if action == ACTION_TRAITS:
        reply: Reply = Simulator().answer_traits(read_traits_request(element))
    elif action == ACTION_VITALE:
        reply = Simulator().answer_vitale(read_vitale_request(element))
    else:
        return _fault("", "", "Opération inconnue.", sender=True)
    if reply.failure is not None and reply.failure.type != "delay":
        return _act(reply.failure, reply, action)
    if reply.delay:
        time.sleep(reply.delay)
    assert reply.result is not None
    return HttpResponse(build_result_response(reply.result), content_type=CONTENT_TYPE)
