"""System checks of the INSi configuration."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

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
