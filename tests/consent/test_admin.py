"""Admin screens: the per-patient page, French refusals, read-only log and history (CONS-05, AUD-01, AUD-02)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from consent.codes import Basis, CardType, ConsentDecision
from consent.models import AccessDecisionLog, ConsentRecord, EmergencyAccess
from consent.services import dmp_access_decision
from patients.extensions import patient_page_links
from tests.consent.conftest import give_consent, join_team

pytestmark = pytest.mark.django_db

JUSTIFICATION_MESSAGE = "La justification de l&#x27;accès en urgence est obligatoire (règle CONS-05)."


def logged_in(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def page_url(patient) -> str:
    return reverse("admin:consent_patient_dmp", kwargs={"patient_id": patient.pk})


def test_identity_page_link_is_registered_for_users_who_may_read_consents(desk_agent, patient):
    links = patient_page_links(user=desk_agent, patient_id=patient.pk)
    assert ("Consentements et accès DMP", page_url(patient)) in links


def test_cons01_patient_page_shows_episodes_consents_oppositions_and_legal_wording(referent, patient, episode):
    give_consent(referent, episode, decision=ConsentDecision.INFORMED)
    response = logged_in(referent).get(page_url(patient))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cardiologie" in content
    assert "Informé" in content
    assert "Aucune opposition." in content
    assert "Mon espace santé" in content  # the wording read to the patient
    for form_id in ("episode", "team_member", "feeding_information", "consultation", "opposition", "emergency"):
        assert f'id="form-{form_id}"' in content


def test_cons05_emergency_access_without_justification_is_refused_in_french_on_screen(
    referent, patient, episode, make_professional
):
    professional = make_professional()
    response = logged_in(referent).post(
        page_url(patient),
        {
            "action": "emergency",
            "emergency-episode": episode.pk,
            "emergency-professional": professional.pk,
            "emergency-mode": "bris_de_glace",
            "emergency-justification": "   ",
            "emergency-patient_cannot_express": "on",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert JUSTIFICATION_MESSAGE in content
    assert "L&#x27;enregistrement a été refusé" in content
    assert not EmergencyAccess.objects.exists()


def test_cons05_cons06_emergency_access_with_opposition_shows_the_refusal(
    referent, patient, episode, make_professional
):
    client = logged_in(referent)
    client.post(
        page_url(patient),
        {
            "action": "opposition",
            "opposition-kind": "emergency_access",
            "opposition-expressed_by_capacity": "patient",
            "opposition-expressed_by_name": "Le patient",
        },
    )
    response = client.post(
        page_url(patient),
        {
            "action": "emergency",
            "emergency-episode": episode.pk,
            "emergency-professional": make_professional().pk,
            "emergency-mode": "bris_de_glace",
            "emergency-justification": "Arrêt cardiaque",
            "emergency-patient_cannot_express": "on",
        },
        follow=True,
    )
    assert "Accès en urgence refusé : le patient s&#x27;y est opposé (CONS-06)." in response.content.decode()
    assert AccessDecisionLog.objects.get().basis == Basis.EMERGENCY_OPPOSED


def test_cons03_consent_recorded_then_withdrawn_on_screen_keeps_history(referent, patient, episode, make_professional):
    client = logged_in(referent)
    outsider = make_professional()
    client.post(
        page_url(patient),
        {
            "action": "consultation",
            "consultation-episode": episode.pk,
            "consultation-purpose": "dmp_consultation",
            "consultation-decision": "given",
            "consultation-professional": outsider.pk,
            "consultation-given_by_capacity": "patient",
            "consultation-given_by_name": "Le patient",
            "consultation-channel": "oral",
        },
    )
    record = ConsentRecord.objects.get()
    ask = {
        "actor": referent,
        "patient": patient,
        "professional": outsider,
        "episode": episode,
        "purpose": "consultation",
    }
    assert dmp_access_decision(**ask).allowed
    response = client.post(
        page_url(patient),
        {"action": "withdraw_consent", "withdraw_consent-target": record.pk, "withdraw_consent-reason": "Retrait"},
        follow=True,
    )
    assert "Recueil retiré" in response.content.decode()
    assert dmp_access_decision(**ask).basis == Basis.CONSENT_WITHDRAWN
    assert record.history.count() == 2


def test_desk_agent_cannot_declare_an_emergency_access(desk_agent, patient, episode):
    response = logged_in(desk_agent).post(page_url(patient), {"action": "emergency"})
    assert response.status_code == 403


def test_aud02_auditor_reads_the_decision_log_and_consent_history(
    auditor, referent, patient, episode, make_professional
):
    secretary = make_professional(card_type=CardType.CPE)
    join_team(referent, episode, secretary)
    record = give_consent(referent, episode)
    log = dmp_access_decision(
        actor=referent, patient=patient, professional=secretary, episode=episode, purpose="consultation"
    )
    client = logged_in(auditor)
    assert client.get(reverse("admin:consent_accessdecisionlog_changelist")).status_code == 200
    assert client.get(reverse("admin:consent_accessdecisionlog_change", args=[log.pk])).status_code == 200
    history = client.get(reverse("admin:consent_consentrecord_history", args=[record.pk]))
    assert history.status_code == 200
    # Issue 12: the act's French label, never its code.
    assert "Consentement recueilli (CONS-01)" in history.content.decode()
    assert "CONS-01_CONSENT_RECORD" not in history.content.decode()
    assert client.get(reverse("admin:consent_historicalconsentrecord_changelist")).status_code == 200


def test_aud01_desk_agent_cannot_read_the_consent_history(desk_agent, referent, episode):
    record = give_consent(referent, episode)
    response = logged_in(desk_agent).get(reverse("admin:consent_consentrecord_history", args=[record.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["auditor", "superuser"])
def test_aud01_decision_log_and_history_are_read_only_for_everyone(
    role, request, referent, patient, episode, make_professional
):
    user = (
        get_user_model().objects.create_superuser("root", "root@example.org", "motdepasse-de-test")
        if role == "superuser"
        else request.getfixturevalue("auditor")
    )
    client = logged_in(user)
    outsider = make_professional()
    record = give_consent(referent, episode, professional=outsider)
    log = dmp_access_decision(
        actor=referent, patient=patient, professional=outsider, episode=episode, purpose="consultation"
    )
    log_change = reverse("admin:consent_accessdecisionlog_change", args=[log.pk])
    assert log.allowed is True  # an unchecked box in the POST would turn it off
    assert client.post(log_change, {"basis": "consent_refused"}).status_code == 403
    assert (
        client.post(reverse("admin:consent_accessdecisionlog_delete", args=[log.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (AccessDecisionLog.objects.get().allowed, AccessDecisionLog.objects.get().basis) == (True, log.basis)

    version = record.history.get()
    history_form = reverse("admin:consent_consentrecord_simple_history", args=[record.pk, version.history_id])
    assert client.post(history_form, {"decision": "refused"}).status_code == 403
    historical_change = reverse("admin:consent_historicalconsentrecord_change", args=[version.history_id])
    assert client.post(historical_change, {"decision": "refused"}).status_code == 403
    record.refresh_from_db()
    assert record.decision == ConsentDecision.GIVEN
    assert record.history.count() == 1
    assert (
        client.post(reverse("admin:consent_consentrecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    )
    assert ConsentRecord.objects.filter(pk=record.pk).exists()


def test_pro01_professional_admin_refuses_a_bad_rpps_in_french_and_saves_through_the_service(referent):
    client = logged_in(referent)
    url = reverse("admin:consent_professional_add")
    body = {
        "national_id": "1000123456",
        "last_name": "M",
        "first_name": "L",
        "profession": "Médecin",
        "card_type": "CPS",
    }
    refused = client.post(url, body)
    assert refused.status_code == 200
    assert "préfixé de 8 (RPPS, 12 chiffres)" in refused.content.decode()
    client.post(url, {**body, "national_id": "8 1000 1234 567"})
    from consent.models import Professional

    professional = Professional.objects.get()
    assert (professional.national_id, professional.id_kind) == ("810001234567", "RPPS")
    assert professional.history.get().history_reason_code == "PRO_CREATE"


def test_cons03_closing_the_episode_and_leaving_the_team_on_screen_end_presumed_consent(
    referent, patient, episode, make_professional
):
    physician = make_professional()
    member = join_team(referent, episode, physician)
    give_consent(referent, episode, decision=ConsentDecision.INFORMED)
    ask = {
        "actor": referent,
        "patient": patient,
        "professional": physician,
        "episode": episode,
        "purpose": "consultation",
    }
    assert dmp_access_decision(**ask).basis == Basis.CARE_TEAM_PRESUMED
    client = logged_in(referent)
    client.post(
        page_url(patient),
        {"action": "end_membership", "end_membership-target": member.pk, "end_membership-confirmed": "on"},
    )
    assert dmp_access_decision(**ask).basis == Basis.NO_EXPLICIT_CONSENT
    # Issue 12: the row buttons ask first; these posts carry the confirmation.
    client.post(
        page_url(patient),
        {"action": "close_episode", "close_episode-target": episode.pk, "close_episode-confirmed": "on"},
    )
    assert dmp_access_decision(**ask).basis == Basis.EPISODE_CLOSED


def test_episode_list_links_to_the_patient_page(auditor, patient, episode):
    response = logged_in(auditor).get(reverse("admin:consent_careepisode_changelist"))
    assert page_url(patient) in response.content.decode()
