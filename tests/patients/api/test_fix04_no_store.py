"""Issue 8 item 4: no browser or proxy keeps a copy of identity data (Cache-Control: no-store)."""

import pytest

from tests.factories import PatientFactory
from tests.patients.api.conftest import detail_url
from tests.staff import staff_member

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_fix04_every_api_answer_says_no_store_success_and_error(referent_client):
    patient = PatientFactory()
    answers = [
        referent_client.get(detail_url(patient)),
        referent_client.get(detail_url(patient, "history/")),
        referent_client.post("/api/v1/patients/search/", {"name": patient.birth_name}, format="json"),
        referent_client.get(f"/api/v1/patients/{patient.public_id}/insi/calls/"),
        referent_client.get("/api/v1/care-episodes/", {"patient": str(patient.public_id)}),
        referent_client.get("/api/v1/patients/not-a-uuid/"),
        referent_client.post("/api/v1/patients/", {"birth_name": ""}, format="json"),
    ]
    assert [r.status_code for r in answers][:3] == [200, 200, 200]
    assert all(_no_store(r) for r in answers), [(r.status_code, r.get("Cache-Control")) for r in answers]


def test_fix04_the_screens_showing_an_identity_say_no_store(client):
    from patients.roles import REFERENT

    # django-axes refuses Client.login() (no request to judge): the session is opened directly.
    client.force_login(staff_member(REFERENT, username="referent-cache"))
    patient = PatientFactory()
    pages = [
        client.get("/admin/"),
        client.get("/admin/patients/patient/"),
        client.get(f"/admin/patients/patient/{patient.pk}/change/"),
        client.get(f"/admin/patients/patient/{patient.pk}/history/"),
    ]
    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    assert all(_no_store(p) for p in pages), [p.get("Cache-Control") for p in pages]
