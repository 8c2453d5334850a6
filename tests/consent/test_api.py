"""The consent API contract: status codes, payloads and the {code, message, details} errors."""

import pytest

from consent.codes import CardType, ConsentDecision, GiverCapacity
from consent.models import AccessDecisionLog, EmergencyAccess
from tests.consent.conftest import give_consent, join_team

pytestmark = pytest.mark.django_db

PROFESSIONALS = "/api/v1/professionals/"
EPISODES = "/api/v1/care-episodes/"
CONSENTS = "/api/v1/consents/"
OPPOSITIONS = "/api/v1/oppositions/"
EMERGENCIES = "/api/v1/emergency-accesses/"
DECISIONS = "/api/v1/dmp-access-decisions/"


def test_pro01_registering_a_professional_with_a_bad_adeli_is_a_400_naming_the_field(api, dpi):
    body = {"national_id": "075123456", "last_name": "B", "first_name": "C", "profession": "IDE", "card_type": "CPS"}
    response = api(dpi).post(PROFESSIONALS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "10 chiffres" in response.json()["details"]["national_id"][0]


def test_pro_professional_crud_through_the_api(api, dpi):
    body = {
        "national_id": "810001234567",
        "last_name": "B",
        "first_name": "C",
        "profession": "Interne",
        "card_type": "CPF",
    }
    created = api(dpi).post(PROFESSIONALS, body, format="json")
    assert created.status_code == 201
    url = f"{PROFESSIONALS}{created.json()['id']}/"
    assert api(dpi).patch(url, {"card_type": "CPS"}, format="json").json()["card_type"] == "CPS"
    assert api(dpi).delete(url).status_code == 204
    assert api(dpi).get(url).json()["is_active"] is False
    duplicate = api(dpi).post(PROFESSIONALS, body, format="json")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "PRO-01")


def test_cons01_episode_created_for_a_patient_addressed_by_public_id(api, dpi, patient, make_professional):
    response = api(dpi).post(
        EPISODES, {"patient": str(patient.public_id), "unit": "Urgences", "kind": "emergency"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["patient"] == str(patient.public_id)
    team = api(dpi).post(
        f"{EPISODES}{response.json()['id']}/team-members/",
        {"professional": make_professional().pk, "role": "Urgentiste"},
        format="json",
    )
    assert team.status_code == 201
    listed = api(dpi).get(EPISODES, {"patient": str(patient.public_id)}).json()
    assert [e["team"][0]["role"] for e in listed] == ["Urgentiste"]


def test_unknown_patient_is_a_400_in_a_body_and_a_404_in_a_filter(api, dpi):
    body = {"patient": "8a1c1c8e-0000-4000-8000-000000000000", "unit": "U", "kind": "consultation"}
    response = api(dpi).post(EPISODES, body, format="json")
    assert response.status_code == 400
    assert "patient" in response.json()["details"]
    assert api(dpi).get(EPISODES, {"patient": body["patient"]}).status_code == 404
    assert api(dpi).get(EPISODES, {"patient": "not-a-uuid"}).status_code == 400


def test_cons03_record_then_withdraw_a_consent_changes_the_decision_at_once(
    api, dpi, patient, episode, make_professional
):
    outsider = make_professional()
    recorded = api(dpi).post(
        CONSENTS,
        {
            "episode": episode.pk,
            "purpose": "dmp_consultation",
            "decision": "given",
            "professional": outsider.pk,
            "given_by_capacity": "patient",
            "given_by_name": "Le patient",
            "channel": "oral",
        },
        format="json",
    )
    assert recorded.status_code == 201
    ask = {
        "patient": str(patient.public_id),
        "professional": outsider.pk,
        "episode": episode.pk,
        "purpose": "consultation",
    }
    assert api(dpi).post(DECISIONS, ask, format="json").json()["basis"] == "explicit_consent"

    withdrawn = api(dpi).post(f"{CONSENTS}{recorded.json()['id']}/withdraw/", {"reason": "Retrait"}, format="json")
    assert withdrawn.status_code == 200
    decision = api(dpi).post(DECISIONS, ask, format="json").json()
    assert (decision["allowed"], decision["basis"], decision["rule"]) == (False, "consent_withdrawn", "CONS-03")
    again = api(dpi).post(f"{CONSENTS}{recorded.json()['id']}/withdraw/", {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "CONS-01")


def test_cons02_a_decision_that_does_not_fit_the_purpose_is_a_400_naming_decision(api, dpi, episode):
    body = {
        "episode": episode.pk,
        "purpose": "dmp_feeding_information",
        "decision": "given",
        "given_by_capacity": "patient",
        "given_by_name": "Le patient",
        "channel": "oral",
    }
    response = api(dpi).post(CONSENTS, body, format="json")
    assert response.status_code == 400
    assert "decision" in response.json()["details"]


def test_cons06_opposition_record_withdraw_and_conflict(api, dpi, patient):
    body = {
        "patient": str(patient.public_id),
        "kind": "centre_15_access",
        "expressed_by_capacity": "patient",
        "expressed_by_name": "Le patient",
    }
    created = api(dpi).post(OPPOSITIONS, body, format="json")
    assert created.status_code == 201
    conflict = api(dpi).post(OPPOSITIONS, body, format="json")
    assert (conflict.status_code, conflict.json()["code"]) == (409, "CONS-06")
    withdrawn = api(dpi).post(f"{OPPOSITIONS}{created.json()['id']}/withdraw/", {}, format="json")
    assert withdrawn.json()["withdrawn_at"] is not None
    assert api(dpi).get(OPPOSITIONS, {"patient": str(patient.public_id)}).json()[0]["withdrawn_at"] is not None


def test_cons05_emergency_access_without_justification_is_a_400_in_french(api, dpi, episode, make_professional):
    body = {
        "professional": make_professional().pk,
        "episode": episode.pk,
        "mode": "bris_de_glace",
        "patient_cannot_express": True,
    }
    response = api(dpi).post(EMERGENCIES, body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid"
    assert payload["message"] == "La justification de l'accès en urgence est obligatoire (règle CONS-05)."
    assert payload["details"] == {"justification": [payload["message"]]}
    assert not EmergencyAccess.objects.exists()


def test_cons05_declared_emergency_access_returns_the_logged_decision(api, dpi, patient, episode, make_professional):
    urgentist = make_professional()
    body = {
        "professional": urgentist.pk,
        "episode": episode.pk,
        "mode": "centre_15",
        "justification": "Régulation : patient inconscient",
        "patient_cannot_express": True,
    }
    response = api(dpi).post(EMERGENCIES, body, format="json")
    assert response.status_code == 201
    assert response.json()["decision"]["basis"] == "emergency_centre_15"
    ask = {
        "patient": str(patient.public_id),
        "professional": urgentist.pk,
        "episode": episode.pk,
        "purpose": "consultation",
        "mode": "centre_15",
    }
    assert api(dpi).post(DECISIONS, ask, format="json").json()["allowed"] is True
    assert AccessDecisionLog.objects.filter(access_mode="centre_15").count() == 2


def test_cons07_secretary_decision_refused_through_the_api(api, dpi, referent, patient, episode, make_professional):
    secretary = make_professional(card_type=CardType.CPE, profession="Secrétaire médicale")
    join_team(referent, episode, secretary)
    give_consent(referent, episode, decision=ConsentDecision.GIVEN, capacity=GiverCapacity.PATIENT)
    ask = {
        "patient": str(patient.public_id),
        "professional": secretary.pk,
        "episode": episode.pk,
        "purpose": "consultation",
    }
    decision = api(dpi).post(DECISIONS, ask, format="json").json()
    assert (decision["allowed"], decision["rule"]) == (False, "CONS-07")


def test_aud02_auditor_reads_the_decision_log_but_cannot_decide_or_record(
    api, auditor, dpi, patient, episode, make_professional
):
    ask = {
        "patient": str(patient.public_id),
        "professional": make_professional().pk,
        "episode": episode.pk,
        "purpose": "consultation",
    }
    api(dpi).post(DECISIONS, ask, format="json")
    log = api(auditor).get(DECISIONS, {"patient": str(patient.public_id)})
    assert log.status_code == 200
    assert [row["basis"] for row in log.json()] == ["no_explicit_consent"]
    assert api(auditor).post(DECISIONS, ask, format="json").status_code == 403
    denied = api(auditor).post(OPPOSITIONS, {}, format="json")
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")


def test_cons08_desk_agent_cannot_read_the_decision_log(api, desk_agent):
    assert api(desk_agent).get(DECISIONS).status_code == 403


def test_schema_documents_the_decision_endpoint(api, dpi):
    from django.test import Client

    client = Client()
    client.force_login(dpi)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/dmp-access-decisions/" in schema


def test_cons01_no_consent_is_recorded_on_a_closed_episode(api, dpi, episode):
    from django.utils import timezone

    closed = api(dpi).patch(f"{EPISODES}{episode.pk}/", {"ended_at": timezone.now().isoformat()}, format="json")
    assert closed.status_code == 200
    body = {
        "episode": episode.pk,
        "purpose": "dmp_consultation",
        "decision": "given",
        "given_by_capacity": "patient",
        "given_by_name": "Le patient",
        "channel": "oral",
    }
    response = api(dpi).post(CONSENTS, body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "CONS-01")
    assert "clôturé" in response.json()["message"]


def test_unknown_episode_is_a_404_with_the_error_shape(api, dpi):
    response = api(dpi).get(f"{EPISODES}999999/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}


def test_anonymous_caller_gets_no_decision(db, patient, episode, make_professional):
    from rest_framework.test import APIClient

    ask = {
        "patient": str(patient.public_id),
        "professional": make_professional().pk,
        "episode": episode.pk,
        "purpose": "consultation",
    }
    assert APIClient().post(DECISIONS, ask, format="json").status_code in (401, 403)
    assert not AccessDecisionLog.objects.exists()
