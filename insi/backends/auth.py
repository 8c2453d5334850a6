"""How the SOAP backend authenticates to INSi: a strategy, so the CPS / Pro Santé Connect mode can join.

INSI.md names two forms: mutual TLS with the establishment certificate (``EstablishmentCertificate``, the
one in use), or a CPS/e-CPS SAML assertion in ``wsse:Security`` (``ProfessionalAssertion``, designed, not
usable yet: the README's INSi section lists what is missing). A strategy gives the TLS context, the
``Emetteur`` and the security header; the backend does the rest the same way for both.
"""

from __future__ import annotations

import ssl
from abc import ABC, abstractmethod
from dataclasses import dataclass

from insi.backends.tls import CertificateError, certificate_identity, ssl_context
from insi.client import InsiTechnicalError

NS_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


class Authentication(ABC):
    """One way of proving who calls INSi."""

    @abstractmethod
    def tls_context(self, ca_bundle: str) -> ssl.SSLContext:
        """The client TLS context: the server verified against ``ca_bundle`` only."""

    @abstractmethod
    def emitter(self) -> str:
        """The structure or professional named in ``Emetteur`` (empty when unknown)."""

    def security_header(self) -> bytes | None:
        """The ``wsse:Security`` content to add to the SOAP Header, if the strategy carries one."""
        return None


def _tls_error(exc: CertificateError) -> InsiTechnicalError:
    return InsiTechnicalError(f"TLS: {exc}", permanent=True, code="tls")


@dataclass(frozen=True, repr=False)
class EstablishmentCertificate(Authentication):
    """Mutual TLS with the establishment certificate (PEM or PKCS#12), CN INSI-AUTO or INSI-MANU."""

    cert_path: str
    key_path: str = ""
    passphrase: str = ""  # repr=False on the class: never printed

    def tls_context(self, ca_bundle: str) -> ssl.SSLContext:
        try:
            return ssl_context(
                ca_bundle=ca_bundle, cert_path=self.cert_path, key_path=self.key_path, passphrase=self.passphrase
            )
        except CertificateError as exc:
            raise _tls_error(exc) from exc

    def emitter(self) -> str:
        if not self.cert_path:
            return ""
        try:
            return certificate_identity(self.cert_path, self.key_path, self.passphrase).organisational_unit
        except CertificateError as exc:
            raise _tls_error(exc) from exc


@dataclass(frozen=True, repr=False)
class ProfessionalAssertion(Authentication):
    """A CPS / e-CPS (Pro Santé Connect) assertion of the agent, sent in ``wsse:Security`` (not usable yet).

    The TLS session authenticates the server only; the professional's signed SAML assertion identifies the
    caller. Obtaining that assertion (the card's middleware or Pro Santé Connect) is not built: the README
    lists what is missing, and until then every call is refused as a configuration error.
    """

    assertion: bytes = b""
    professional_id: str = ""

    def tls_context(self, ca_bundle: str) -> ssl.SSLContext:
        try:
            return ssl_context(ca_bundle=ca_bundle)
        except CertificateError as exc:
            raise _tls_error(exc) from exc

    def emitter(self) -> str:
        return self.professional_id

    def security_header(self) -> bytes | None:
        if not self.assertion:
            raise InsiTechnicalError(
                "CPS / Pro Santé Connect mode is not available: no professional assertion",
                permanent=True,
                code="config",
            )
        return self.assertion
