import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from patients import roles
from tests.factories import PatientFactory, UserFactory

ROLE_USERS = {
    "agent": roles.AGENT,
    "referent": roles.REFERENT,
    "auditor": roles.AUDITOR,
    "dpi": roles.DPI,
}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Test users only: PBKDF2 would spend most of the suite's time hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def user_with_role(role_key: str):
    user = UserFactory(username=f"api-{role_key}")
    user.groups.add(Group.objects.get(name=ROLE_USERS[role_key]))
    return user


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_for(db):
    """Return an API client authenticated by token as a user holding the given role."""
    return lambda role_key: token_client(user_with_role(role_key))


@pytest.fixture
def agent_client(client_for):
    return client_for("agent")


@pytest.fixture
def referent_client(client_for):
    return client_for("referent")


@pytest.fixture
def patient(db):
    return PatientFactory(birth_name="D'ARTAGNAN", first_name="JEAN-PIERRE", first_names="JEAN-PIERRE LOUIS")


def detail_url(patient, suffix: str = "") -> str:
    return f"/api/v1/patients/{patient.public_id}/{suffix}"


def if_match(patient) -> dict[str, str]:
    return {"HTTP_IF_MATCH": f'"{patient.version}"'}


NEW_PATIENT = {
    "birth_name": "Lætitia-Müller",
    "first_name": "Zoé",
    "first_names": "Zoé Anne",
    "sex": "F",
    "birth_date": "1990-04-12",
    "birthplace_cog": "75056",
}


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# Real concurrency needs row locks and a server that lets two transactions wait on each other.
requires_postgresql = pytest.mark.skipif(
    not on_postgresql(), reason="needs PostgreSQL (row locks, concurrent transactions)"
)
