"""INSi API contract: status codes, payloads, error shape and permissions (ST-09, INSI-02, INSI-06, INSI-10)."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from insi.client import TECHNICAL_ERROR_MESSAGE
from insi.models import InsiCall
from patients import reasons as patient_reasons
from patients.ins import ins_key
from patients.models import Patient
from patients.roles import AGENT, AUDITOR, REFERENT
from patients.services import patient_create
from tests.factories import UserFactory
from tests.insi.helpers import role_user, snapshot


def _user(username: str, group: str):
    return role_user(username, group)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def agent_user(db):
    return _user("api-agent", AGENT)


@pytest.fixture
def referent_user(db):
    return _user("api-referent", REFERENT)


@pytest.fixture
def auditor_user(db):
    return _user("api-auditor", AUDITOR)


def _url(patient, action: str) -> str:
    return f"/api/v1/patients/{patient.public_id}/insi/{action}/"


@pytest.mark.django_db
def test_insi09_agent_searches_and_gets_the_outcome_with_the_new_status(make_person, agent_user):
    patient = make_person("ADRUN")
    response = _client(agent_user).post(_url(patient, "search"), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["cr"], body["patient"]["status"]) == ("MATCH", "00", "RECUP")
    assert body["returned"]["matricule"] == "275126322074974"


@pytest.mark.django_db
def test_insi03_discordant_outcome_lists_differences_with_rules_and_retries(make_person, agent_user):
    patient = make_person("TCHITCHI")
    body = _client(agent_user).post(_url(patient, "search"), {}, format="json").json()
    assert body["outcome"] == "DISCORDANT"
    assert body["differences"][0]["rule"] == "INSI-03"
    assert body["retries"]
    assert body["patient"]["status"] == "PROV"


@pytest.mark.django_db(transaction=True)
def test_insi02_vandermonde_gets_503_with_the_technical_message_over_soap(soap_backend, make_person, agent_user):
    patient = make_person("VANDERMONDE")
    before = snapshot(patient)
    response = _client(agent_user).post(_url(patient, "search"), {}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "insi_unavailable"
    assert response.json()["message"] == TECHNICAL_ERROR_MESSAGE
    assert snapshot(patient) == before
    assert InsiCall.objects.get(patient=patient).outcome == InsiCall.Outcome.ERROR


@pytest.mark.django_db
def test_st09_user_without_permission_cannot_query_insi(make_person):
    patient = make_person("ADRUN")
    response = _client(UserFactory(username="nobody")).post(_url(patient, "search"), {}, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message", "details"}
    assert not InsiCall.objects.exists()


@pytest.mark.django_db
def test_st03_doubtful_identity_gets_409_st03(make_person, agent_user, agent):
    from patients.services import identity_set_attribute

    patient = make_person("ADRUN")
    identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="Doute")
    response = _client(agent_user).post(_url(patient, "search"), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "ST-03")


@pytest.mark.django_db
def test_unknown_patient_gets_404(agent_user):
    response = _client(agent_user).post("/api/v1/patients/00000000-0000-0000-0000-000000000000/insi/search/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_bad_vitale_input_gets_a_clear_400(make_person, agent_user):
    patient = make_person("ADRUN")
    response = _client(agent_user).post(_url(patient, "search"), {"vitale": {"individual": "123"}}, format="json")
    assert response.status_code == 400
    assert "carte Vitale" in response.json()["message"]


@pytest.fixture
def extra_first_name(tmp_path, settings):
    body = "2720675056003"
    people = [
        {
            "traits": {"birth_name": "DURAND", "first_names": "MARIE LOUISE", "sex": "F", "birth_date": "1972-06-03"},
            "ins": {"matricule": body + ins_key(body), "oid": "1.2.250.1.213.1.4.8"},
        }
    ]
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": people}))
    settings.INSI_SIMULATOR_DATA = str(path)


@pytest.mark.django_db
def test_insi06_only_a_referent_decides_and_a_justification_is_required(
    extra_first_name, agent, agent_user, referent_user
):
    patient = patient_create(actor=agent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3))
    patient = patient.patient
    body = _client(agent_user).post(_url(patient, "search"), {}, format="json").json()
    assert body["outcome"] == "NEEDS_DECISION"
    decision = {"decision": "accept", "justification": "Acte de naissance vu"}
    assert _client(agent_user).post(_url(patient, "decision"), decision, format="json").status_code == 403
    empty = _client(referent_user).post(_url(patient, "decision"), {**decision, "justification": ""}, format="json")
    assert empty.status_code == 400
    response = _client(referent_user).post(_url(patient, "decision"), decision, format="json")
    assert response.status_code == 200
    assert (response.json()["proposal"]["state"], response.json()["patient"]["status"]) == ("ACCEPTED", "RECUP")
    again = _client(referent_user).post(_url(patient, "decision"), decision, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "INSI-06")


@pytest.mark.django_db
def test_aud02_auditor_reads_the_call_log_and_an_agent_cannot(make_person, agent_user, auditor_user):
    patient = make_person("HOUILLES")
    _client(agent_user).post(_url(patient, "search"), {}, format="json")
    response = _client(auditor_user).get(_url(patient, "calls"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [c["sent_first_name"] for c in results] == ["PIERRE PAUL JACQUES", "JACQUES", "PAUL", "PIERRE"]
    assert {c["cr"] for c in results} == {"01"}
    assert all(c["actor"] == "api-agent" for c in results)
    assert _client(agent_user).get(_url(patient, "calls")).status_code == 403
    assert _client(auditor_user).post(_url(patient, "search"), {}, format="json").status_code == 403


@pytest.mark.django_db
def test_st08_verify_through_the_api_records_the_check(make_person, agent_user):
    patient = make_person("ADRUN")
    client = _client(agent_user)
    client.post(_url(patient, "search"), {}, format="json")
    # ST-08: the last verification is 3 years old, so the identity is due.
    three_years_ago = timezone.now() - timedelta(days=3 * 365)
    Patient.objects.filter(pk=patient.pk).update(ins_verified_at=three_years_ago)
    started = timezone.now()
    response = client.post(_url(patient, "verify"), {}, format="json")
    assert (response.status_code, response.json()["outcome"]) == (200, "VERIFIED")
    patient.refresh_from_db()
    assert patient.ins_verified_at >= started
    assert (patient.status, patient.ins_matricule) == ("RECUP", "275126322074974")
    call = InsiCall.objects.filter(patient=patient).latest("called_at")
    assert (call.operation, call.outcome, call.actor, call.cr) == (
        InsiCall.Operation.VERIFY,
        InsiCall.Outcome.VERIFIED,
        agent_user,
        "00",
    )
    row = patient.history.latest("history_date")
    assert (row.history_user, row.history_reason_code) == (agent_user, patient_reasons.INS_VERIFIED)


@pytest.mark.django_db
def test_tr11_a_carte_vitale_number_typed_with_its_printed_spaces_is_accepted(make_person, agent_user):
    patient = make_person("ADRUN")
    body = {"vitale": {"individual": "2 75 12 63 220 749 74"}}
    response = _client(agent_user).post(_url(patient, "search"), body, format="json")
    assert response.status_code == 200, response.json()
    assert InsiCall.objects.filter(patient=patient, operation=InsiCall.Operation.SEARCH_VITALE).exists()
