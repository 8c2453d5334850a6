"""Issue 11: /healthz (the process is up, no database) and /readyz (the database answers, 503 otherwise)."""

from unittest import mock

import pytest
from django.db import OperationalError


def test_fix11_healthz_answers_without_login_nor_database(client):
    # No django_db mark: pytest-django makes any query fail, so /healthz touches no database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_fix11_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"


@pytest.mark.django_db
def test_fix11_readyz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("identity_registry.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_fix11_probes_answer_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/admin/login/").status_code == 301  # everything else goes to HTTPS
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
