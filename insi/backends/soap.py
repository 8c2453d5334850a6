"""The real INSi backend: SOAP 1.2 over HTTPS (the only module of the registry that touches the network).

Switching from the simulator to the teleservice is configuration only: ``INSI_ENDPOINT_URL``, the
establishment certificate and key (``INSI_CLIENT_CERT``, ``INSI_CLIENT_KEY``) and the software
authorisation number (``INSI_SOFTWARE_AUTHORISATION``). Timeouts: ``INSI_CONNECT_TIMEOUT`` and
``INSI_READ_TIMEOUT`` (seconds).
"""

from __future__ import annotations

import http.client
import logging
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from insi.client import InsiClient, InsiResult, InsiTechnicalError, TraitsQuery, VitaleQuery
from insi.protocol import (
    ACTION_TRAITS,
    ACTION_VITALE,
    CONTENT_TYPE,
    SoftwareContext,
    build_traits_request,
    build_vitale_request,
    parse_response,
)

logger = logging.getLogger(__name__)
MAX_RESPONSE_BYTES = 1_000_000


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
    ) -> None:
        self.endpoint = endpoint or settings.INSI_ENDPOINT_URL
        if not self.endpoint:
            raise ImproperlyConfigured("INSI_ENDPOINT_URL is required by the SOAP INSi backend.")
        self.url = urlsplit(self.endpoint)
        if self.url.scheme not in ("http", "https") or not self.url.hostname:
            raise ImproperlyConfigured("INSI_ENDPOINT_URL must be an http(s) URL.")
        self.cert = cert if cert is not None else settings.INSI_CLIENT_CERT
        self.key = key if key is not None else settings.INSI_CLIENT_KEY
        self.connect_timeout = connect_timeout or settings.INSI_CONNECT_TIMEOUT
        self.read_timeout = read_timeout or settings.INSI_READ_TIMEOUT
        self.context = SoftwareContext(authorisation=settings.INSI_SOFTWARE_AUTHORISATION)

    def search_by_traits(self, query: TraitsQuery) -> InsiResult:
        return self._post(ACTION_TRAITS, build_traits_request(query, self.context))

    def search_with_vitale(self, query: VitaleQuery) -> InsiResult:
        return self._post(ACTION_VITALE, build_vitale_request(query, self.context))

    def _connection(self) -> http.client.HTTPConnection:
        port = self.url.port
        if self.url.scheme == "http":
            return http.client.HTTPConnection(self.url.hostname, port, timeout=self.connect_timeout)
        ssl_context = ssl.create_default_context()
        if self.cert:
            # Mutual TLS with the establishment certificate (CN INSI-AUTO or INSI-MANU).
            ssl_context.load_cert_chain(self.cert, self.key or None)
        return http.client.HTTPSConnection(self.url.hostname, port, timeout=self.connect_timeout, context=ssl_context)

    def _post(self, action: str, envelope: bytes) -> InsiResult:
        """Send one envelope and read the answer; every network failure becomes InsiTechnicalError."""
        path = self.url.path or "/"
        if self.url.query:
            path = f"{path}?{self.url.query}"
        connection: http.client.HTTPConnection | None = None
        try:
            # Inside the try: an unreadable certificate or key is a (permanent) technical failure, not a 500.
            connection = self._connection()
            connection.connect()
            # The connect timeout is spent; the read timeout bounds every later socket operation.
            connection.sock.settimeout(self.read_timeout)
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
        logger.debug("INSi %s answered HTTP %s (%d bytes)", action.rsplit(":", 1)[-1], status, len(body))
        if len(body) > MAX_RESPONSE_BYTES:
            raise InsiTechnicalError("response too large", permanent=False, code="malformed")
        if status not in (200, 400, 500):
            # SOAP 1.2 answers with 200, or a fault with 400 (sender) or 500 (receiver); others are transport.
            raise InsiTechnicalError(f"HTTP {status}", permanent=400 <= status < 500, code=f"http_{status}")
        return parse_response(body)
