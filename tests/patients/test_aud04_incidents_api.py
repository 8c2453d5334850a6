"""RNIV AUD-04 (issue 11): the incidents API: referents open, read and close; auditors read; others are refused."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from rest_framework.test import APIClient

from patients import roles
from patients.audit import patient_record_access
from patients.records import PatientAccess
from patients.services import patient_create
from tests.factories import UserFactory, check_passport, retrieve_ins

pytestmark = pytest.mark.django_db


def member_of(role: str, username: str, email: str = ""):
    user = UserFactory(username=username, is_staff=True, email=email)
    user.groups.add(Group.objects.get(name=role))
    return type(user).objects.get(pk=user.pk)


def api(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


@pytest.fixture
def referent():
    return member_of(roles.REFERENT, "referente")


@pytest.fixture
def wrong(referent):
    """Version 2 gave the identity a wrong INS; an agent read it before and wrote after, a software account read."""
    agent = member_of(roles.AGENT, "agent", "agent@chu.example")
    patient = patient_create(
        actor=agent, birth_name="ADRUN", first_name="ZOE", sex="F", birth_date=date(1975, 12, 31)
    ).patient
    patient_record_access(actor=agent, patients=[patient], action=PatientAccess.Action.SEARCH)
    patient = check_passport(retrieve_ins(patient, actor=referent), actor=agent)
    patient_record_access(
        actor=member_of(roles.DPI, "dpi", "dpi@editeur.example"), patients=[patient], action="retrieve"
    )
    return patient


def url(patient) -> str:
    return f"/api/v1/patients/{patient.public_id}/incidents/"


def test_aud04_api_referent_opens_an_incident_and_gets_its_readers_and_alerts(referent, wrong):
    response = api(referent).post(url(wrong), {"kind": "wrong_ins", "faulty_version": 2, "reason": "Homonyme"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "wrong_ins" and body["status"] == "open" and body["downgraded"] is True
    assert body["faulty_version"] == 2 and body["patient"]["ipp"] == wrong.ipp
    # The agent checked the passport after the faulty change (a write hands the identity back), the DPI read it.
    assert [(r["account"], r["how"]) for r in body["readers"]] == [
        ("agent", ["Modification de l'identité"]),
        ("dpi", ["Consultation (API)"]),
    ]
    assert [(a["recipient"], a["sent"]) for a in body["alerts"]] == [("agent", True), ("dpi", True)]
    assert [m.to for m in mail.outbox] == [["agent@chu.example"], ["dpi@editeur.example"]]
    detail = api(referent).get(f"/api/v1/incidents/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["readers"] == body["readers"]
    patient = api(referent).get(f"/api/v1/patients/{wrong.public_id}/").json()
    assert patient["status"] == "PROV"


def test_aud04_api_refuses_bad_input_in_french_and_a_second_open_incident(referent, wrong):
    client = api(referent)
    unknown = client.post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "x", "status": "closed"})
    assert unknown.status_code == 400 and "status" in unknown.json()["details"]
    no_version = client.post(url(wrong), {"kind": "other", "faulty_version": 99, "reason": "x"})
    assert no_version.status_code == 400 and "faulty_version" in no_version.json()["details"]
    bad_kind = client.post(url(wrong), {"kind": "oops", "faulty_version": 2, "reason": "x"})
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["details"]
    too_long = client.post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "x" * 1001})
    assert too_long.status_code == 400 and "reason" in too_long.json()["details"]
    assert client.post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "Erreur"}).status_code == 201
    again = client.post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "Encore"})
    assert again.status_code == 409 and again.json()["code"] == "AUD-04"


def test_aud04_api_close_needs_a_reason_and_only_once(referent, wrong):
    client = api(referent)
    incident = client.post(url(wrong), {"kind": "homonym", "faulty_version": 2, "reason": "Erreur"}).json()
    close = f"/api/v1/incidents/{incident['id']}/close/"
    assert client.post(close, {}).status_code == 400
    closed = client.post(close, {"reason": "Équipes prévenues"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["closed_by"] == "referente"
    again = client.post(close, {"reason": "Encore"})
    assert again.status_code == 409 and again.json()["code"] == "AUD-04"
    listed = client.get(url(wrong)).json()
    assert [i["status"] for i in listed] == ["closed"]


def test_aud04_api_auditors_read_and_the_other_roles_are_refused(referent, wrong):
    incident = api(referent).post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "Erreur"}).json()
    auditor = member_of(roles.AUDITOR, "auditrice")
    assert api(auditor).get(url(wrong)).status_code == 200
    assert api(auditor).get(f"/api/v1/incidents/{incident['id']}/").status_code == 200
    assert api(auditor).post(url(wrong), {"kind": "other", "faulty_version": 2, "reason": "x"}).status_code == 403
    assert api(auditor).post(f"/api/v1/incidents/{incident['id']}/close/", {"reason": "x"}).status_code == 403
    for role, name in ((roles.AGENT, "agent-2"), (roles.DPI, "dpi-2")):
        assert api(member_of(role, name)).get(url(wrong)).status_code == 403
        assert api(member_of(role, name)).get(f"/api/v1/incidents/{incident['id']}/").status_code == 403
