"""Item 3: one deadline bounds a whole INSi call, however slowly the server trickles its answer."""

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest

from identity_registry.exceptions import InsiUnavailable
from insi.models import InsiCall
from insi.services import insi_search_for_patient
from patients.services import patient_create
from tests.factories import UserFactory
from tests.insi.helpers import calls_of, snapshot

# The trickling server gives up after this long, so the test ends even on code without a deadline.
TRICKLE_FOR = 8.0


# What the server trickles: endless header lines, or a body announced long and sent a few bytes at a time.
TRICKLES = {
    "headers": (b"HTTP/1.1 200 OK\r\n", b"X-Trickle: 1\r\n"),
    "body": (b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 100000\r\n\r\n", b"<!-- -->"),
}


@pytest.fixture(params=sorted(TRICKLES))
def trickling_server(request) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that sends a few bytes every 0.2 s, each well within the read timeout."""
    opening, drip = TRICKLES[request.param]
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(TRICKLE_FOR)
    stop = threading.Event()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(1.0)
            try:
                conn.recv(65536)  # the envelope; its content does not matter
                conn.sendall(opening)
                started = time.monotonic()
                while not stop.is_set() and time.monotonic() - started < TRICKLE_FOR:
                    conn.sendall(drip)
                    time.sleep(0.2)
            except OSError:
                return  # the client hung up: what a deadline does

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    host, port = listener.getsockname()
    yield f"http://{host}:{port}/insi/"
    stop.set()
    listener.close()
    thread.join(timeout=TRICKLE_FOR + 2)


@pytest.mark.django_db
def test_fix03_a_trickling_server_cannot_hold_a_search_past_the_call_deadline(trickling_server, settings):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = trickling_server
    settings.INSI_CONNECT_TIMEOUT = 1.0
    # Each header line comes well within the read timeout: only a whole-call deadline stops this.
    settings.INSI_READ_TIMEOUT = 1.0
    settings.INSI_CALL_TIMEOUT = 1.0
    user = UserFactory(username="agent-trickle")
    patient = patient_create(
        actor=user, birth_name="LENTEUR", first_name="ALICE", sex="F", birth_date=date(1980, 5, 4)
    ).patient
    before = snapshot(patient)
    started = time.monotonic()
    with pytest.raises(InsiUnavailable):
        insi_search_for_patient(actor=user, patient=patient)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"the call lasted {elapsed:.1f} s past a 1 s deadline"
    assert snapshot(patient) == before
    [call] = calls_of(patient)
    assert (call.outcome, call.error_code) == (InsiCall.Outcome.ERROR, "timeout")
