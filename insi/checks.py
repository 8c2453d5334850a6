"""System checks of the INSi configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SIMULATOR_BACKEND = "insi.backends.simulator."


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
