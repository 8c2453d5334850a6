"""ST-05 end to end: after INSi retrieval, neither the API nor the screen can edit a strict trait."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from insi.services import insi_search_for_patient
from patients.models import Patient
from patients.roles import AGENT
from tests.factories import UserFactory
from tests.patients.admin.test_identity_form import identity_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_agent(db):
    user = UserFactory(username="guichet", is_staff=True)
    user.groups.add(Group.objects.get(name=AGENT))
    return user


@pytest.fixture
def retrieved(desk_agent, make_person):
    patient = make_person("ADRUN")
    insi_search_for_patient(actor=desk_agent, patient=patient, reason="Admission")
    patient.refresh_from_db()
    assert (patient.status, patient.ins_matricule) == ("RECUP", "275126322074974")
    return patient


def test_st05_api_edit_of_a_trait_retrieved_from_insi_gets_409_and_changes_nothing(desk_agent, retrieved):
    client = APIClient()
    client.force_authenticate(desk_agent)
    url = f"/api/v1/patients/{retrieved.public_id}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"birth_name": "ADRUNE"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert response.json()["code"] == "ST-05"
    after = Patient.objects.get(pk=retrieved.pk)
    assert (after.birth_name, after.version) == ("ADRUN", retrieved.version)


def test_st05_screen_edit_of_a_trait_retrieved_from_insi_is_a_form_error(client, desk_agent, retrieved):
    client.force_login(desk_agent)
    url = reverse("admin:patients_patient_change", args=[retrieved.pk])
    data = identity_post(retrieved, birth_name="ADRUNE")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ST-05" in str(response.context["adminform"].form.non_field_errors())
    assert Patient.objects.get(pk=retrieved.pk).birth_name == "ADRUN"
