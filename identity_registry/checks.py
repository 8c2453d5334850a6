"""System checks for deployment settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def _secret_key() -> str:
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return ""


@register(Tags.security)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    """Refuse to run without SECRET_KEY when DEBUG is off."""
    if not settings.DEBUG and not _secret_key():
        return [
            Error(
                "SECRET_KEY is required when DEBUG is off.",
                hint="Set the SECRET_KEY environment variable, or DEBUG=1 for local development.",
                id="identity_registry.E001",
            )
        ]
    return []
