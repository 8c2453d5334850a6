"""Clients of the FHIR tests, and the R4 validation of everything the endpoint emits (fhir.resources)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from fhir.resources.R4B import get_fhir_model_class
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from patients import roles
from tests.factories import PatientFactory, UserFactory

ROLES = {"agent": roles.AGENT, "referent": roles.REFERENT, "auditor": roles.AUDITOR, "dpi": roles.DPI}


def r4(body: dict):
    """Parse a resource with the R4 models (fhir.resources' R4B package: R4's Patient, Bundle...); fail if invalid."""
    return get_fhir_model_class(body["resourceType"]).model_validate(body)


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_for(db):
    def make(role_key: str) -> APIClient:
        user = UserFactory(username=f"fhir-{role_key}")
        user.groups.add(Group.objects.get(name=ROLES[role_key]))
        return token_client(user)

    return make


@pytest.fixture
def dpi(client_for):
    return client_for("dpi")


@pytest.fixture
def patient(db):
    return PatientFactory(
        birth_name="D'ARTAGNAN",
        first_name="JEAN-PIERRE",
        first_names="JEAN-PIERRE LOUIS",
        sex="M",
        birth_date=date(1985, 3, 14),
        birthplace_cog="75056",
        used_name="MARTIN",
        used_first_name="JP",
    )


def fhir_get(client: APIClient, url: str, **extra):
    """GET a FHIR URL; every JSON body it answers is checked against the R4 models."""
    response = client.get(url, **extra)
    if response.get("Content-Type", "").startswith(("application/fhir+json", "application/json")):
        r4(response.json())
    return response


def fhir_post(client: APIClient, url: str, body, *, content_type: str = "application/fhir+json", **extra):
    data = body if isinstance(body, str) else __import__("json").dumps(body)
    response = client.post(url, data=data, content_type=content_type, **extra)
    if response.get("Content-Type", "").startswith(("application/fhir+json", "application/json")):
        r4(response.json())
    return response
