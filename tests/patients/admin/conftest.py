import pytest
from django.test import Client

from patients import roles
from tests.staff import staff_member


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk_agent(db):
    return staff_member(roles.AGENT, username="agent.accueil")


@pytest.fixture
def referent(db):
    return staff_member(roles.REFERENT, username="referent.iv")


@pytest.fixture
def auditor(db):
    return staff_member(roles.AUDITOR, username="auditeur")


@pytest.fixture
def dpi_account(db):
    return staff_member(roles.DPI, username="dpi")


@pytest.fixture
def agent_client(desk_agent) -> Client:
    return _client_for(desk_agent)


@pytest.fixture
def referent_client(referent) -> Client:
    return _client_for(referent)


@pytest.fixture
def auditor_client(auditor) -> Client:
    return _client_for(auditor)


@pytest.fixture
def dpi_client(dpi_account) -> Client:
    return _client_for(dpi_account)


@pytest.fixture
def role_clients(agent_client, referent_client, auditor_client, dpi_client) -> dict[str, Client]:
    return {"agent": agent_client, "referent": referent_client, "auditor": auditor_client, "dpi": dpi_client}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
