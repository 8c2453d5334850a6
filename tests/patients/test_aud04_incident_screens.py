"""RNIV AUD-04 (issue 11): the referent's incident screens; auditors read them and change nothing."""

import html
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from patients import roles
from patients.audit import patient_record_access
from patients.incidents.models import Incident, IncidentStatus
from patients.records import PatientAccess
from patients.services import patient_create
from tests.factories import UserFactory, check_passport, retrieve_ins

pytestmark = pytest.mark.django_db


def member_of(role: str, username: str, email: str = ""):
    user = UserFactory(username=username, is_staff=True, email=email)
    user.groups.add(Group.objects.get(name=role))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def referent():
    return member_of(roles.REFERENT, "referente", "referente@chu.example")


@pytest.fixture
def wrong(referent):
    agent = member_of(roles.AGENT, "agent", "agent@chu.example")
    patient = patient_create(
        actor=agent, birth_name="ADRUN", first_name="ZOE", sex="F", birth_date=date(1975, 12, 31)
    ).patient
    patient = check_passport(retrieve_ins(patient, actor=referent), actor=agent)
    patient_record_access(
        actor=agent, patients=[patient], action=PatientAccess.Action.RETRIEVE, channel=PatientAccess.Channel.SCREEN
    )
    return patient


def faulty_id(patient) -> int:
    """The INS retrieval: the second version of the identity."""
    return patient.history.order_by("history_date", "history_id")[1].history_id


def test_aud04_referent_opens_an_incident_from_the_identity_page_and_closes_it(client, referent, wrong):
    client.force_login(referent)
    page = html.unescape(client.get(reverse("admin:patients_patient_change", args=[wrong.pk])).content.decode())
    open_url = reverse("admin:patients_incident_open", args=[wrong.pk])
    assert f'href="{open_url}"' in page and "Déclarer un incident d'identité" in page
    form = html.unescape(client.get(open_url).content.decode())
    assert "Récupération de l'INS (INSI-09)" in form and "ADRUN" not in form
    response = client.post(open_url, {"kind": "wrong_ins", "faulty_change": faulty_id(wrong), "reason": "Homonyme"})
    incident = Incident.objects.get(patient=wrong)
    assert response.status_code == 302 and response["Location"].endswith(f"/incident/{incident.pk}/change/")
    wrong.refresh_from_db()
    assert wrong.status == "PROV"
    # The referent read the identity page too: listed among the readers, but not alerted (she opened it).
    assert [m.to for m in mail.outbox] == [["agent@chu.example"]]
    detail = html.unescape(client.get(response["Location"]).content.decode())
    assert "repassée au statut provisoire" in detail  # the message after opening
    assert 'id="incident-readers"' in detail and "agent@chu.example" in detail and "referente" in detail
    assert "Consultation (Écran)" in detail and "Clôturer l'incident" in detail
    close_url = reverse("admin:patients_incident_close", args=[incident.pk])
    refused = client.post(close_url, {"reason": ""})
    assert refused.status_code == 200 and "obligatoire" in html.unescape(refused.content.decode())
    assert client.post(close_url, {"reason": "Équipes prévenues"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closing_reason == "Équipes prévenues"


def test_aud04_the_open_form_refuses_in_french_without_writing(client, referent, wrong):
    client.force_login(referent)
    open_url = reverse("admin:patients_incident_open", args=[wrong.pk])
    response = client.post(open_url, {"kind": "typo", "faulty_change": "999999", "reason": "x" * 1001})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Sélectionnez un choix valide" in body
    assert not Incident.objects.exists() and not mail.outbox


def test_aud04_auditors_read_incidents_and_change_nothing(client, referent, wrong):
    client.force_login(referent)
    client.post(
        reverse("admin:patients_incident_open", args=[wrong.pk]),
        {"kind": "homonym", "faulty_change": faulty_id(wrong), "reason": "Homonyme"},
    )
    incident = Incident.objects.get()
    auditor = member_of(roles.AUDITOR, "auditrice")
    client.force_login(auditor)
    assert client.get(reverse("admin:patients_incident_changelist")).status_code == 200
    detail = html.unescape(client.get(reverse("admin:patients_incident_change", args=[incident.pk])).content.decode())
    assert "incident-readers" in detail and "Clôturer l'incident" not in detail
    assert client.get(reverse("admin:patients_incidentalert_changelist")).status_code == 200
    page = html.unescape(client.get(reverse("admin:patients_patient_change", args=[wrong.pk])).content.decode())
    assert "Déclarer un incident" not in page
    open_url = reverse("admin:patients_incident_open", args=[wrong.pk])
    assert client.post(open_url, {"kind": "other", "faulty_change": faulty_id(wrong), "reason": "x"}).status_code == 403
    close_url = reverse("admin:patients_incident_close", args=[incident.pk])
    assert client.post(close_url, {"reason": "x"}).status_code == 403
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN and Incident.objects.count() == 1
