"""Every INSi action leaves a call-log row and a history row with user and reason (INSI-10, AUD-01), and
odd inputs or a broken configuration give a clear 4xx or the INSI-02 503, never a 500."""

import contextlib

import pytest
from django.core.checks import run_checks
from rest_framework.test import APIClient

from identity_registry.exceptions import InsiUnavailable
from insi import reasons
from insi.client import TECHNICAL_ERROR_MESSAGE
from insi.services import insi_search_for_patient, insi_verify_patient
from patients.roles import AGENT
from tests.factories import check_passport, retrieve_ins
from tests.insi.helpers import calls_of, role_user, snapshot

pytestmark = pytest.mark.django_db


def _search(agent, patient, reason: str) -> None:
    with contextlib.suppress(InsiUnavailable):
        insi_search_for_patient(actor=agent, patient=patient, reason=reason)


@pytest.mark.parametrize(
    ("person", "outcomes"),
    [
        ("ADRUN", ["MATCH"]),
        ("HOUILLES", ["NOT_FOUND"] * 4),
        ("TCHITCHI", ["NOT_FOUND", "DISCORDANT"]),
        ("HERMAN", ["INS_REFUSED"]),
        ("VANDERMONDE", ["ERROR"]),
    ],
)
def test_insi10_every_search_call_keeps_a_history_row_with_the_user_and_the_reason(
    make_person, agent, person, outcomes
):
    patient = make_person(person)
    _search(agent, patient, reason=f"Admission de {person}")
    calls = calls_of(patient)
    assert [c.outcome for c in calls] == outcomes
    for call in calls:
        [row] = call.history.all()
        assert (row.history_user, row.history_reason_code, row.history_change_reason) == (
            agent,
            reasons.CALL_LOGGED,
            f"Admission de {person}",
        )


def test_insi10_a_call_without_a_typed_reason_records_why_it_was_made(make_person, agent):
    patient = make_person("HOUILLES")
    insi_search_for_patient(actor=agent, patient=patient)
    reasons_kept = {c.history.get().history_change_reason for c in calls_of(patient)}
    assert reasons_kept == {"Interrogation INSi par les traits depuis la fiche identité"}


def test_st08_verification_call_keeps_a_history_row_with_the_user_and_the_reason(make_person, agent):
    patient = check_passport(retrieve_ins(make_person("ADRUN"), actor=agent), actor=agent)
    insi_verify_patient(actor=agent, patient=patient, reason="Contrôle annuel")
    [call] = calls_of(patient)
    row = call.history.get()
    assert (row.history_user, row.history_change_reason) == (agent, "Contrôle annuel")


@pytest.fixture
def api_agent(db):
    client = APIClient()
    client.force_authenticate(role_user("api-agent-robust", AGENT))
    return client


@pytest.mark.parametrize("number", ["ABCDEFGHIJKLM12", "2A1234567890112", "27512632207497X", "٢٧٥١٢٦٣٢٢٠٧٤٩٧٤"])
def test_tr11_a_carte_vitale_number_that_is_not_a_matricule_gets_a_clear_400(make_person, api_agent, number):
    patient = make_person("ADRUN")
    response = api_agent.post(
        f"/api/v1/patients/{patient.public_id}/insi/search/", {"vitale": {"individual": number}}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert "carte Vitale" in body["message"]
    assert calls_of(patient) == []


def test_insi02_an_unreadable_client_certificate_is_a_permanent_technical_error_and_a_503(
    make_person, api_agent, settings, tmp_path
):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = "https://127.0.0.1:9/ICIR-v1/"
    settings.INSI_CLIENT_CERT = str(tmp_path / "missing-certificate.pem")
    patient = make_person("ADRUN")
    before = snapshot(patient)
    response = api_agent.post(f"/api/v1/patients/{patient.public_id}/insi/search/", {}, format="json")
    assert response.status_code == 503
    assert response.json() == {
        "code": "insi_unavailable",
        "message": TECHNICAL_ERROR_MESSAGE,
        "details": {"permanent": True},
    }
    assert snapshot(patient) == before
    [call] = calls_of(patient)
    assert (call.outcome, call.error_code, call.error_permanent) == ("ERROR", "tls", True)


def test_system_check_refuses_the_soap_backend_without_an_endpoint(settings):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = ""
    assert "insi.E003" in {message.id for message in run_checks()}


def test_system_check_warns_when_the_software_authorisation_number_is_missing(settings):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = "https://teleservice.example/ICIR-v1"
    settings.INSI_SOFTWARE_AUTHORISATION = ""
    ids = {message.id for message in run_checks()}
    assert "insi.W001" in ids
    assert "insi.E003" not in ids
    settings.INSI_SOFTWARE_AUTHORISATION = "LPS-0042"
    assert not {message.id for message in run_checks()} & {"insi.W001", "insi.E003"}


def test_aud03_opening_the_insi_screen_and_reading_the_call_log_are_logged_reads(client, make_person):
    from django.urls import reverse

    from patients.records import PatientAccess
    from patients.roles import REFERENT

    patient = make_person("ADRUN")
    referent = role_user("ecran-referent-aud03", REFERENT, is_staff=True)
    client.force_login(referent)
    assert client.get(reverse("admin:insi_query", kwargs={"patient_id": patient.pk})).status_code == 200
    api = APIClient()
    api.force_authenticate(referent)
    assert api.get(f"/api/v1/patients/{patient.public_id}/insi/calls/").status_code == 200
    reads = PatientAccess.objects.filter(patient=patient, user=referent)
    assert sorted(reads.values_list("channel", flat=True)) == ["api", "screen"]


def test_call_log_admin_search_never_takes_a_birth_name(client, make_person, agent):
    from patients.roles import AUDITOR

    patient = make_person("HOUILLES")
    insi_search_for_patient(actor=agent, patient=patient)
    client.force_login(role_user("auditeur-recherche", AUDITOR, is_staff=True))
    # A search by name would put a trait in the URL: it finds nothing, a search by user finds the calls.
    assert client.get("/admin/insi/insicall/", {"q": "HOUILLES"}).context["cl"].result_count == 0
    assert client.get("/admin/insi/insicall/", {"q": "agent-accueil"}).context["cl"].result_count == 4
