"""The real INSi backend: SOAP 1.2 over HTTPS (the only module of the registry that touches the network).

Switching from the simulator to the teleservice is configuration only: ``INSI_ENDPOINT_URL``, the
establishment certificate and key (``INSI_CLIENT_CERT``, ``INSI_CLIENT_KEY``) and the software
authorisation number (``INSI_SOFTWARE_AUTHORISATION``). Timeouts, in seconds: ``INSI_CALL_TIMEOUT`` bounds
the whole call (connect, send, answer) by one deadline; ``INSI_CONNECT_TIMEOUT`` the connection and
``INSI_READ_TIMEOUT`` each wait for data within it.

Trust and identity (issue 14, ``insi.backends.tls``): the server is verified against ``INSI_CA_BUNDLE`` only;
the certificate may be PEM or PKCS#12 (``INSI_CLIENT_CERT_PASSWORD``). ``Emetteur`` is ``INSI_EMITTER`` or
the certificate's OU; ``LPS`` carries ``INSI_SOFTWARE_NAME``/``INSI_SOFTWARE_VERSION`` and the installation's
stable ``Instance``. Authentication is a strategy (``Authentication``): mutual TLS with the establishment
certificate today; a CPS / Pro Santé Connect assertion is the second one (see the README).
"""

from __future__ import annotations

import http.client
import io
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from lxml import etree

from insi.backends.auth import NS_WSSE, Authentication, EstablishmentCertificate
from insi.client import InsiClient, InsiResult, InsiTechnicalError, TraitsQuery, VitaleQuery
from insi.protocol import (
    ACTION_TRAITS,
    ACTION_VITALE,
    CONTENT_TYPE,
    NS_SOAP,
    PARSER,
    SoftwareContext,
    build_traits_request,
    build_vitale_request,
    parse_response,
)

logger = logging.getLogger(__name__)
MAX_RESPONSE_BYTES = 1_000_000


class _DeadlineSocket:
    """The socket of one call: every send and receive waits at most the time left before one deadline.

    A per-read timeout alone lets a server that trickles one byte at a time hold a call forever (item 3):
    http.client gives no whole-call limit, so the socket it uses re-arms its timeout before each operation.
    """

    def __init__(self, sock: socket.socket, *, deadline: float, read_timeout: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.read_timeout = read_timeout
        # Like socket.makefile's own count: http.client closes the connection before reading the answer.
        self._readers = 0
        self._closed = False

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("INSi call deadline reached")
        self.sock.settimeout(min(self.read_timeout, left))

    def sendall(self, data: bytes) -> None:
        self._arm()
        self.sock.sendall(data)

    def recv_into(self, buffer: memoryview, nbytes: int = 0) -> int:
        self._arm()
        return self.sock.recv_into(buffer, nbytes)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def reader_closed(self) -> None:
        self._readers -= 1
        if self._closed and not self._readers:
            self.sock.close()

    def close(self) -> None:
        self._closed = True
        if not self._readers:
            self.sock.close()


class _DeadlineReader(io.RawIOBase):
    """The raw stream http.client reads the answer from, one deadline-bound receive at a time."""

    def __init__(self, sock: _DeadlineSocket) -> None:
        super().__init__()
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._sock.reader_closed()
        super().close()


class SoapClient(InsiClient):
    """Post INSi envelopes to ``INSI_ENDPOINT_URL`` with an optional client certificate."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        cert: str | None = None,
        key: str | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        call_timeout: float | None = None,
        ca_bundle: str | None = None,
        authentication: Authentication | None = None,
    ) -> None:
        self.endpoint = endpoint or settings.INSI_ENDPOINT_URL
        if not self.endpoint:
            raise ImproperlyConfigured("INSI_ENDPOINT_URL is required by the SOAP INSi backend.")
        self.url = urlsplit(self.endpoint)
        if self.url.scheme not in ("http", "https") or not self.url.hostname:
            raise ImproperlyConfigured("INSI_ENDPOINT_URL must be an http(s) URL.")
        self.cert = cert if cert is not None else settings.INSI_CLIENT_CERT
        self.key = key if key is not None else settings.INSI_CLIENT_KEY
        self.ca_bundle = ca_bundle if ca_bundle is not None else settings.INSI_CA_BUNDLE
        # The passphrase is held in memory only: never logged, never in a message.
        self.authentication = authentication or EstablishmentCertificate(
            self.cert, self.key, settings.INSI_CLIENT_CERT_PASSWORD
        )
        self.connect_timeout = connect_timeout or settings.INSI_CONNECT_TIMEOUT
        self.read_timeout = read_timeout or settings.INSI_READ_TIMEOUT
        self.call_timeout = call_timeout or settings.INSI_CALL_TIMEOUT
        self.context = SoftwareContext(
            authorisation=settings.INSI_SOFTWARE_AUTHORISATION,
            name=settings.INSI_SOFTWARE_NAME,
            version=settings.INSI_SOFTWARE_VERSION,
            emitter=settings.INSI_EMITTER,
        )

    def search_by_traits(self, query: TraitsQuery) -> InsiResult:
        return self._post(ACTION_TRAITS, lambda context: build_traits_request(query, context))

    def search_with_vitale(self, query: VitaleQuery) -> InsiResult:
        return self._post(ACTION_VITALE, lambda context: build_vitale_request(query, context))

    def call_context(self) -> SoftwareContext:
        """The context of one call: Emetteur never empty, the installation's stable Instance (issue 14)."""
        from insi.installation import installation_instance

        emitter = self.context.emitter or self.authentication.emitter()
        if not emitter:
            raise InsiTechnicalError(
                "Emetteur unknown: set INSI_EMITTER or use a certificate whose OU names the structure",
                permanent=True,
                code="config",
            )
        return replace(self.context, emitter=emitter, instance=installation_instance())

    def _secured(self, envelope: bytes) -> bytes:
        """Add the strategy's wsse:Security to the Header (the CPS mode's assertion); unchanged otherwise."""
        security = self.authentication.security_header()
        if security is None:
            return envelope
        root = etree.fromstring(envelope, PARSER)
        header = root.find(f"{{{NS_SOAP}}}Header")
        element = etree.Element(f"{{{NS_WSSE}}}Security", nsmap={"wsse": NS_WSSE})
        element.append(etree.fromstring(security, PARSER))
        header.insert(0, element)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def _connection(self) -> http.client.HTTPConnection:
        port = self.url.port
        timeout = min(self.connect_timeout, self.call_timeout)
        if self.url.scheme == "http":
            return http.client.HTTPConnection(self.url.hostname, port, timeout=timeout)
        # The strategy's context: the bundle only is trusted; mutual TLS with the establishment certificate.
        context = self.authentication.tls_context(self.ca_bundle)
        return http.client.HTTPSConnection(self.url.hostname, port, timeout=timeout, context=context)

    def _post(self, action: str, build: Callable[[SoftwareContext], bytes]) -> InsiResult:
        """Send one envelope and read the answer; every network failure becomes InsiTechnicalError."""
        envelope = self._secured(build(self.call_context()))
        path = self.url.path or "/"
        if self.url.query:
            path = f"{path}?{self.url.query}"
        connection: http.client.HTTPConnection | None = None
        bounded: _DeadlineSocket | None = None
        deadline = time.monotonic() + self.call_timeout
        try:
            # Inside the try: an unreadable certificate or key is a (permanent) technical failure, not a 500.
            connection = self._connection()
            connection.connect()
            # From here on one deadline bounds the whole call, however slowly the answer trickles in.
            bounded = _DeadlineSocket(connection.sock, deadline=deadline, read_timeout=self.read_timeout)
            connection.sock = bounded
            connection.request(
                "POST",
                path,
                body=envelope,
                headers={"Content-Type": f'{CONTENT_TYPE}; action="{action}"', "Accept": "application/soap+xml"},
            )
            response = connection.getresponse()
            body = response.read(MAX_RESPONSE_BYTES + 1)
            status = response.status
        except TimeoutError as exc:
            raise InsiTechnicalError("timeout", permanent=False, code="timeout") from exc
        except ssl.SSLCertVerificationError as exc:
            detail = f"TLS error: server certificate not trusted by INSI_CA_BUNDLE ({exc.verify_message})"
            raise InsiTechnicalError(detail, permanent=True, code="tls") from exc
        except ssl.SSLError as exc:
            raise InsiTechnicalError(f"TLS error: {exc.reason}", permanent=True, code="tls") from exc
        except OSError as exc:
            if connection is None:
                raise InsiTechnicalError(
                    f"client certificate unreadable: {type(exc).__name__}", permanent=True, code="tls"
                ) from exc
            raise InsiTechnicalError(f"transport error: {type(exc).__name__}", permanent=False, code="network") from exc
        except http.client.HTTPException as exc:
            raise InsiTechnicalError(f"transport error: {type(exc).__name__}", permanent=False, code="network") from exc
        finally:
            if connection is not None:
                connection.close()
            if bounded is not None:
                bounded.sock.close()
        logger.debug("INSi %s answered HTTP %s (%d bytes)", action.rsplit(":", 1)[-1], status, len(body))
        if len(body) > MAX_RESPONSE_BYTES:
            raise InsiTechnicalError("response too large", permanent=False, code="malformed")
        if status not in (200, 400, 500):
            # SOAP 1.2 answers with 200, or a fault with 400 (sender) or 500 (receiver); others are transport.
            raise InsiTechnicalError(f"HTTP {status}", permanent=400 <= status < 500, code=f"http_{status}")
        return parse_response(body)
