"""System checks of the INSi configuration."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils import timezone

SIMULATOR_BACKEND = "insi.backends.simulator."
SOAP_BACKEND = "insi.backends.soap."


@register(Tags.security)
def check_simulator_refused_in_production(app_configs, **kwargs) -> list[Error]:
    """Refuse the simulator, in process or served, when DEBUG is off unless INSI_SIMULATOR_ALLOWED."""
    if settings.DEBUG or settings.INSI_SIMULATOR_ALLOWED:
        return []
    errors = []
    if settings.INSI_CLIENT.startswith(SIMULATOR_BACKEND):
        errors.append(
            Error(
                "The INSi simulator is configured as INSI_CLIENT while DEBUG is off.",
                hint="Set INSI_CLIENT to insi.backends.soap.SoapClient with its endpoint and certificate, "
                "or INSI_SIMULATOR_ALLOWED=1 for a test platform.",
                id="insi.E001",
            )
        )
    if "/insi-simulator/" in (settings.INSI_ENDPOINT_URL or ""):
        errors.append(
            Error(
                "INSI_ENDPOINT_URL points to the served INSi simulator while DEBUG is off.",
                hint="Point it to the teleservice, or set INSI_SIMULATOR_ALLOWED=1 for a test platform.",
                id="insi.E002",
            )
        )
    return errors


@register()
def check_soap_backend_configuration(app_configs, **kwargs) -> list[Error | Warning]:
    """The SOAP backend needs its endpoint (else every call would fail) and should carry the LPS number."""
    if not settings.INSI_CLIENT.startswith(SOAP_BACKEND):
        return []
    url = urlsplit(settings.INSI_ENDPOINT_URL or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        return [
            Error(
                "INSI_ENDPOINT_URL must be the http(s) URL of the INSi teleservice for the SOAP backend.",
                id="insi.E003",
            )
        ]
    if url.scheme == "https" and not settings.INSI_SOFTWARE_AUTHORISATION:
        return [
            Warning(
                "INSI_SOFTWARE_AUTHORISATION is empty: the teleservice refuses an unknown software (desir_550).",
                id="insi.W001",
            )
        ]
    return []


EXPIRY_WARNING_DAYS = 30


def _certificate_messages() -> list[Error | Warning]:
    """Read the establishment certificate as the backend will (PEM or PKCS#12 with its passphrase)."""
    from insi.backends.tls import ACCEPTED_COMMON_NAMES, CertificateError, certificate_identity

    try:
        identity = certificate_identity(
            settings.INSI_CLIENT_CERT, settings.INSI_CLIENT_KEY, settings.INSI_CLIENT_CERT_PASSWORD
        )
    except CertificateError as exc:
        # The reason is the kind of failure only: never the passphrase.
        return [
            Error(
                f"INSI_CLIENT_CERT cannot be read: {exc}.",
                hint="Check the file, and INSI_CLIENT_CERT_PASSWORD for a PKCS#12 file or an encrypted key.",
                id="insi.E005",
            )
        ]
    messages: list[Error | Warning] = []
    if identity.common_name not in ACCEPTED_COMMON_NAMES:
        messages.append(
            Warning(
                f"The INSi certificate's CN is {identity.common_name!r}, neither INSI-AUTO nor INSI-MANU: "
                "the teleservice answers DESIR_560.",
                id="insi.W002",
            )
        )
    left = identity.not_after - timezone.now()
    if left < timedelta(days=EXPIRY_WARNING_DAYS):
        messages.append(
            Warning(
                f"The INSi certificate expires on {identity.not_after:%Y-%m-%d}"
                f" ({'expired' if left.total_seconds() < 0 else f'in {left.days} days'}).",
                hint="Order its renewal from the IGC-Santé now.",
                id="insi.W003",
            )
        )
    if not settings.INSI_EMITTER and not identity.organisational_unit:
        messages.append(Error("Emetteur is empty: set INSI_EMITTER (the structure's identifier).", id="insi.E006"))
    return messages


@register()
def check_soap_backend_trust(app_configs, **kwargs) -> list[Error | Warning]:
    """Issue 14: the SOAP backend trusts a CA bundle only, and presents a usable establishment certificate."""
    if not settings.INSI_CLIENT.startswith(SOAP_BACKEND):
        return []
    messages: list[Error | Warning] = []
    if urlsplit(settings.INSI_ENDPOINT_URL or "").scheme == "https":
        bundle = settings.INSI_CA_BUNDLE
        if not bundle or not Path(bundle).is_file():
            messages.append(
                Error(
                    "INSI_CA_BUNDLE must name a readable file holding the IGC-Santé roots for the SOAP backend.",
                    hint="The system store does not hold them; verification is never turned off.",
                    id="insi.E004",
                )
            )
    if settings.INSI_CLIENT_CERT:
        messages.extend(_certificate_messages())
    elif not settings.INSI_EMITTER:
        messages.append(Error("Emetteur is empty: set INSI_EMITTER (the structure's identifier).", id="insi.E006"))
    return messages
