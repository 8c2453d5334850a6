"""Idempotent create: a retried POST with the same Idempotency-Key returns the first result, one patient."""

from unittest import mock

import pytest

from patients import services
from patients.models import Patient
from patients.records import IdempotencyRecord
from tests.patients.api.conftest import NEW_PATIENT, requires_postgresql
from tests.patients.api.threads import run_together, slowed

URL = "/api/v1/patients/"


def create(client, body=NEW_PATIENT, key="9b1c7a0e-retry-key"):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_same_key_sent_twice_creates_one_patient_and_replays_the_first_response(agent_client):
    first = create(agent_client)
    retry = create(agent_client)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["ETag"] == first["ETag"]
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Patient.objects.count() == 1


@pytest.mark.django_db
def test_without_key_or_with_new_key_each_post_creates_a_patient(agent_client):
    agent_client.post(URL, NEW_PATIENT, format="json")
    agent_client.post(URL, NEW_PATIENT, format="json")
    create(agent_client, key="k1")
    create(agent_client, key="k2")
    assert Patient.objects.count() == 4


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused_with_422(agent_client):
    create(agent_client)
    response = create(agent_client, body={**NEW_PATIENT, "first_name": "ANNE", "first_names": "ANNE"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Patient.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user(client_for):
    create(client_for("agent"))
    create(client_for("dpi"))
    assert Patient.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_first_attempt_does_not_burn_the_key(agent_client):
    refused = create(agent_client, body={**NEW_PATIENT, "birth_name": "DUPONT 2"})
    assert refused.status_code == 400
    assert refused.json()["details"]["birth_name"]
    assert not IdempotencyRecord.objects.exists()
    assert create(agent_client).status_code == 201
    assert Patient.objects.count() == 1


@pytest.mark.postgres
@requires_postgresql
@pytest.mark.django_db(transaction=True)  # role groups come back after each flush (post_migrate sync)
def test_same_key_sent_concurrently_creates_one_patient(client_for):
    client = client_for("dpi")
    # The first request lingers inside its transaction, so its twin arrives while the key is still open.
    with mock.patch.object(services, "patient_create", slowed(services.patient_create)):
        responses = run_together(lambda: create(client), lambda: create(client))
    assert [r.status_code for r in responses] == [201, 201], responses
    assert responses[0].json() == responses[1].json()
    assert sorted(r.get("Idempotent-Replayed", "false") for r in responses) == ["false", "true"]
    assert Patient.objects.count() == 1
