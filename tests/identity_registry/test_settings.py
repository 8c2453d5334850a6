"""Deployment settings and schema hygiene."""

import pytest
from django.core.management import call_command

from identity_registry.checks import check_secret_key


def test_secret_key_is_required_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = ""
    errors = check_secret_key(None)
    assert [e.id for e in errors] == ["identity_registry.E001"]


def test_secret_key_check_passes_when_set(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-key-from-the-environment"
    assert check_secret_key(None) == []


def test_language_and_time_zone_are_french(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == ("fr-fr", "Europe/Paris", True)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
