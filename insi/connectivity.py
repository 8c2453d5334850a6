"""The INSi connectivity check behind ``manage.py insi_check`` (issue 14 item 11).

One search by traits for a public qualification test person (ADRUN ZOE, INSI.md), step by step: TLS
(the server verified against INSI_CA_BUNDLE), authentication (the establishment certificate accepted),
the answer (the expected INS), and the time. The first failing step is named. No identity is involved, so
nothing is written; the circuit breaker is bypassed on purpose (an operator checks after a repair).
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from insi.backends.soap import SoapClient
from insi.backends.tls import CertificateError, certificate_identity, ssl_context
from insi.client import InsiTechnicalError, TraitsQuery

TEST_PERSON = TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31")
EXPECTED_MATRICULE = "275126322074974"
AUTHENTICATION_CODES = {"desir_550", "desir_560"}
CONFIGURATION, TLS, AUTHENTICATION, ANSWER, TIME = "Configuration", "TLS", "Authentification", "Réponse", "Durée"


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Report:
    steps: tuple[Step, ...]

    @property
    def failed(self) -> Step | None:
        return next((step for step in self.steps if not step.ok), None)


def _handshake(url, timeout: float) -> Step:
    """Open a TLS session like the backend will, the server verified against the bundle only."""
    try:
        context = ssl_context(
            ca_bundle=settings.INSI_CA_BUNDLE,
            cert_path=settings.INSI_CLIENT_CERT,
            key_path=settings.INSI_CLIENT_KEY,
            passphrase=settings.INSI_CLIENT_CERT_PASSWORD,
        )
        with (
            socket.create_connection((url.hostname, url.port or 443), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=url.hostname) as tls,
        ):
            version = tls.version()
    except CertificateError as exc:
        return Step(TLS, False, f"configuration illisible : {exc}")
    except ssl.SSLCertVerificationError as exc:
        return Step(TLS, False, f"certificat du serveur non reconnu par INSI_CA_BUNDLE ({exc.verify_message})")
    except (ssl.SSLError, OSError) as exc:
        return Step(TLS, False, f"échec de la connexion TLS ({type(exc).__name__})")
    certificate = ""
    if settings.INSI_CLIENT_CERT:
        identity = certificate_identity(
            settings.INSI_CLIENT_CERT, settings.INSI_CLIENT_KEY, settings.INSI_CLIENT_CERT_PASSWORD
        )
        certificate = f", certificat de l'établissement CN={identity.common_name}"
    return Step(TLS, True, f"serveur vérifié par INSI_CA_BUNDLE ({version}{certificate})")


def run_check(endpoint: str | None = None) -> Report:
    """Run the steps in order and stop at the first failure."""
    url = urlsplit(endpoint or settings.INSI_ENDPOINT_URL or "")
    steps: list[Step] = []
    if url.scheme not in ("http", "https") or not url.hostname:
        detail = "INSI_ENDPOINT_URL n'est pas une adresse http(s) : aucun point d'accès à vérifier"
        return Report((Step(CONFIGURATION, False, detail),))
    if url.scheme == "https":
        steps.append(_handshake(url, min(settings.INSI_CONNECT_TIMEOUT, settings.INSI_CALL_TIMEOUT)))
        if not steps[-1].ok:
            return Report(tuple(steps))
    else:
        steps.append(Step(TLS, True, "sans objet : point d'accès en http (simulateur servi)"))
    started = time.monotonic()
    try:
        result = SoapClient(url.geturl()).search_by_traits(TEST_PERSON)
    except InsiTechnicalError as exc:
        if exc.code == "tls":
            # Mutual TLS: a refused establishment certificate breaks the handshake, so the TLS step fails.
            steps.append(
                Step(TLS, False, f"le serveur a refusé le certificat de l'établissement ou la session ({exc.detail})")
            )
        elif exc.code.lower() in AUTHENTICATION_CODES:
            steps.append(Step(AUTHENTICATION, False, f"refusée par INSi (code {exc.code})"))
        else:
            steps.append(Step(AUTHENTICATION, True, "acceptée"))
            steps.append(Step(ANSWER, False, f"erreur technique ({exc.code or exc.detail})"))
        return Report(tuple(steps))
    elapsed = int((time.monotonic() - started) * 1000)
    steps.append(Step(AUTHENTICATION, True, "acceptée"))
    found = result.identity.ins.matricule if result.identity else ""
    if result.cr == "00" and found == EXPECTED_MATRICULE:
        steps.append(
            Step(ANSWER, True, f"code retour 00, INS attendue de la personne de test {TEST_PERSON.birth_name}")
        )
    else:
        steps.append(Step(ANSWER, False, f"réponse inattendue (code retour {result.cr})"))
    steps.append(Step(TIME, True, f"{elapsed} ms"))
    return Report(tuple(steps))
