"""Trust and identity of the SOAP backend: the CA bundle, and the establishment certificate (PEM or PKCS#12).

INSi's chain ends at the IGC-Santé roots, which no system store holds: the server is verified against
``INSI_CA_BUNDLE`` only, and verification is never turned off (INSI.md, issue 14). The establishment
certificate comes as PEM (``INSI_CLIENT_CERT`` + ``INSI_CLIENT_KEY``) or as PKCS#12 (``.p12``/``.pfx``)
with a passphrase (``INSI_CLIENT_CERT_PASSWORD``, from the environment: never logged, never in the repo).
"""

from __future__ import annotations

import os
import secrets
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PKCS12_SUFFIXES = (".p12", ".pfx")
# INSI.md: the teleservice answers DESIR_560 to any other CN.
ACCEPTED_COMMON_NAMES = ("INSI-AUTO", "INSI-MANU")


class CertificateError(Exception):
    """The establishment certificate cannot be read (missing file, wrong passphrase, not a certificate)."""


@dataclass(frozen=True)
class CertificateIdentity:
    """What the checks and the headers need from the establishment certificate."""

    common_name: str
    organisational_unit: str
    not_after: datetime


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _password(passphrase: str) -> bytes | None:
    return passphrase.encode() if passphrase else None


def _mtime(path: str) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError as exc:
        raise CertificateError(f"certificate file unreadable: {type(exc).__name__}") from exc


def is_pkcs12(path: str) -> bool:
    return Path(path).suffix.lower() in PKCS12_SUFFIXES


@lru_cache(maxsize=4)
def _load(cert_path: str, key_path: str, passphrase: str, mtime: float) -> tuple[bytes, bytes, x509.Certificate]:
    """Return (certificate chain PEM, private key PEM encrypted with ``passphrase`` or clear, certificate)."""
    try:
        data = Path(cert_path).read_bytes()
        if is_pkcs12(cert_path):
            key, certificate, extra = pkcs12.load_key_and_certificates(data, _password(passphrase))
            if key is None or certificate is None:
                raise CertificateError("the PKCS#12 file holds no certificate and key")
        else:
            certificate = x509.load_pem_x509_certificate(data)
            extra = []
            key_data = Path(key_path).read_bytes() if key_path else data
            key = serialization.load_pem_private_key(key_data, _password(passphrase))
    except CertificateError:
        raise
    except (OSError, ValueError, TypeError) as exc:
        # Never the passphrase, never the content: the kind of failure only.
        raise CertificateError(f"certificate unreadable: {type(exc).__name__}") from exc
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (certificate, *(extra or [])))
    return chain, key, certificate  # type: ignore[return-value]


def certificate_identity(cert_path: str, key_path: str = "", passphrase: str = "") -> CertificateIdentity:
    """Read the CN, the OU (the structure's identifier, INSI.md) and the expiry of the certificate."""
    _, _, certificate = _load(cert_path, key_path, passphrase, _mtime(cert_path))
    return CertificateIdentity(
        common_name=_attribute(certificate.subject, NameOID.COMMON_NAME),
        organisational_unit=_attribute(certificate.subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
        not_after=certificate.not_valid_after_utc,
    )


def _load_client_certificate(context: ssl.SSLContext, cert_path: str, key_path: str, passphrase: str) -> None:
    chain, key, _ = _load(cert_path, key_path, passphrase, _mtime(cert_path))
    # ssl loads a chain only from files: the key is written encrypted with a one-time password, in a private
    # temporary directory, and removed at once.
    ephemeral = secrets.token_urlsafe(32)
    encrypted = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(ephemeral.encode()),
    )
    with tempfile.TemporaryDirectory(prefix="insi-") as directory:
        path = os.path.join(directory, "client.pem")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(chain + encrypted)
        context.load_cert_chain(path, password=ephemeral)


def ssl_context(*, ca_bundle: str, cert_path: str = "", key_path: str = "", passphrase: str = "") -> ssl.SSLContext:
    """A client context trusting ``ca_bundle`` only, with the establishment certificate when one is set.

    Raises ``CertificateError`` when the bundle or the certificate cannot be read.
    """
    if not ca_bundle:
        raise CertificateError("INSI_CA_BUNDLE is not set: the INSi server cannot be verified")
    try:
        # With a cafile the default (system) roots are not loaded: only the bundle is trusted.
        context = ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(f"CA bundle unreadable: {type(exc).__name__}") from exc
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    if cert_path:
        try:
            _load_client_certificate(context, cert_path, key_path, passphrase)
        except (OSError, ssl.SSLError) as exc:
            raise CertificateError(f"client certificate refused by TLS: {type(exc).__name__}") from exc
    return context
