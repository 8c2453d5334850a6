import pytest
from django.core.management import call_command

from tests.patients.api.conftest import NEW_PATIENT


@pytest.mark.django_db
def test_create_api_account_prints_a_token_that_can_create_but_not_downgrade(capsys, client):
    call_command("create_api_account", "dpi-service")
    token = capsys.readouterr().out.strip()
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    created = client.post("/api/v1/patients/", NEW_PATIENT, content_type="application/json", **auth)
    assert created.status_code == 201
    patient_id = created.json()["patient"]["id"]
    downgrade = client.post(
        f"/api/v1/patients/{patient_id}/downgrade/",
        {"withdraw_document": True, "reason": "x"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **auth,
    )
    assert downgrade.status_code == 403
    call_command("create_api_account", "dpi-service", "--rotate")
    assert capsys.readouterr().out.strip() != token
    assert client.get(f"/api/v1/patients/{patient_id}/", **auth).status_code == 401
