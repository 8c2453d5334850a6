"""Issue 12: INSi from the screen. Retries are buttons (INSI-07, INSI-08), a retry's call points to the first
call, the traits are shown before the call, and a concordant identity is recorded only after the agent
compared it with the document (INSI-09)."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from identity_registry.exceptions import PreconditionFailed
from insi.models import InsiCall, InsiProposal
from insi.services import insi_confirm_retrieval, insi_search_for_patient
from insi.services.confirm import STALE
from patients.models import Patient
from patients.roles import AGENT, AUDITOR, REFERENT
from patients.services import patient_create, patient_update_traits
from tests.insi.helpers import calls_of, confirm_on_screen, role_user

pytestmark = pytest.mark.django_db

# Written with hyphens where INSi knows "D'ARTAGNAN DE L'HERAULT" with spaces: 01, then found on the retry.
HYPHENATED = {
    "birth_name": "D'ARTAGNAN-DE-L'HERAULT",
    "first_name": "PIERRE-ALAIN",
    "first_names": "PIERRE-ALAIN MURIEL FLORIANT",
    "sex": "M",
    "birth_date": date(2001, 6, 17),
}


@pytest.fixture
def agent_client(client):
    client.force_login(role_user("relance-agent", AGENT, is_staff=True))
    return client


def _page(patient) -> str:
    return reverse("admin:insi_query", kwargs={"patient_id": patient.pk})


def _retry_kinds(html: str) -> list[str]:
    return re.findall(r'<form method="post" class="insi-retry" data-retry="([^"]+)"', html)


def _hyphenated(agent) -> Patient:
    return patient_create(actor=agent, **HYPHENATED).patient


def test_insi07_each_applicable_retry_is_a_button_showing_the_traits_it_sends(agent_client, agent):
    patient = _hyphenated(agent)
    html = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    kinds = _retry_kinds(html)
    assert "hyphen_to_space:birth_name" in kinds
    assert "apostrophe_to_space:birth_name" in kinds
    assert "hyphen_to_space:first_name" in kinds
    # No birthplace was sent: "without the birthplace" does not apply; checking the document is no call.
    assert "without_birthplace" not in kinds and "check_document" not in kinds
    form = html.split('data-retry="hyphen_to_space:birth_name"', 1)[1].split("</form>", 1)[0]
    assert escape("D'ARTAGNAN DE L'HERAULT") in form
    assert 'name="csrfmiddlewaretoken"' in form


def test_insi07_no_button_when_no_retry_applies(agent_client, make_person):
    # HOUILLES: 01 on plain names without birthplace; only "check the document" and "later", as text.
    html = agent_client.post(_page(make_person("HOUILLES")), {"action": "search"}).content.decode()
    assert _retry_kinds(html) == []
    assert "Vérifier les traits sur le justificatif" in html


def test_insi08_several_identities_offer_the_birthplace_and_the_x_of_last_resort(agent_client, make_person):
    patient = make_person("DE_VINCI", birthplace_cog="")
    html = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    kinds = _retry_kinds(html)
    assert "last_resort_x" in kinds
    form = html.split('data-retry="last_resort_x"', 1)[1].split("</form>", 1)[0]
    assert "LEONARDO X" in form


def test_insi07_the_retry_call_points_to_the_first_call_and_is_shown_in_the_log(client, agent):
    client.force_login(role_user("relance-referent", REFERENT, is_staff=True))
    patient = _hyphenated(agent)
    client.post(_page(patient), {"action": "search"})
    first = calls_of(patient)[0]
    deciding = calls_of(patient)[-1]
    html = client.post(
        _page(patient), {"action": "retry", "retry_of": deciding.pk, "retry": "hyphen_to_space:birth_name"}
    ).content.decode()
    retry = calls_of(patient)[-1]
    assert retry.retry_of == first
    assert retry.retry_kind == "hyphen_to_space:birth_name"
    assert retry.sent_birth_name == "D'ARTAGNAN DE L'HERAULT"
    assert retry.cr == "00"
    assert "Relance de l&#x27;appel du" in html or "Relance de l'appel du" in html
    # The local traits never change on a retry (INSI-07).
    assert Patient.objects.get(pk=patient.pk).birth_name == "D'ARTAGNAN-DE-L'HERAULT"
    # The call log admin names the first call.
    log = client.get(reverse("admin:insi_insicall_changelist")).content.decode()
    assert "Relance de l&#x27;appel du" in log


def test_insi07_a_retry_of_a_retry_points_to_the_same_first_call(agent_client, make_person):
    patient = make_person("HOUILLES", first_name="PIERRE-PAUL", first_names="PIERRE-PAUL JACQUES")
    agent_client.post(_page(patient), {"action": "search"})
    first = calls_of(patient)[0]
    agent_client.post(_page(patient), {"action": "retry", "retry_of": first.pk, "retry": "hyphen_to_space:first_name"})
    retry = calls_of(patient)[-1]
    agent_client.post(_page(patient), {"action": "retry", "retry_of": retry.pk, "retry": "last_resort_x"})
    assert calls_of(patient)[-1].retry_of == first


def test_insi07_a_retry_that_does_not_apply_is_refused_in_french(agent_client, make_person):
    patient = make_person("HOUILLES")
    agent_client.post(_page(patient), {"action": "search"})
    count = InsiCall.objects.count()
    call = calls_of(patient)[0]
    html = agent_client.post(
        _page(patient), {"action": "retry", "retry_of": call.pk, "retry": "hyphen_to_space:birth_name"}
    ).content.decode()
    assert "Cette relance ne s&#x27;applique pas" in html
    assert InsiCall.objects.count() == count


def test_insi07_a_retry_from_a_role_without_the_insi_permission_is_403(client, agent):
    patient = _hyphenated(agent)
    insi_search_for_patient(actor=agent, patient=patient, defer_retrieval=True)
    client.force_login(role_user("relance-auditeur", AUDITOR, is_staff=True))
    count = InsiCall.objects.count()
    response = client.post(
        _page(patient), {"action": "retry", "retry_of": calls_of(patient)[-1].pk, "retry": "hyphen_to_space:birth_name"}
    )
    assert response.status_code == 403
    assert InsiCall.objects.count() == count


def test_insi07_the_retry_is_csrf_protected(agent, make_person):
    from django.test import Client

    patient = _hyphenated(agent)
    insi_search_for_patient(actor=agent, patient=patient, defer_retrieval=True)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(role_user("relance-csrf", AGENT, is_staff=True))
    response = strict.post(
        _page(patient), {"action": "retry", "retry_of": calls_of(patient)[-1].pk, "retry": "hyphen_to_space:birth_name"}
    )
    assert response.status_code == 403


def test_issue12_the_screen_shows_the_traits_to_send_before_the_call(agent_client, make_person):
    patient = make_person("HOUILLES")
    html = agent_client.get(_page(patient)).content.decode()
    table = html.split('id="insi-to-send"', 1)[1].split("</table>", 1)[0]
    assert "HOUILLES" in table and "PIERRE PAUL JACQUES" in table and "27/01/1993" in table
    assert InsiCall.objects.filter(patient=patient).count() == 0


def test_insi09_the_retrieval_is_recorded_only_after_the_agent_confirms(agent_client, make_person):
    patient = make_person("ADRUN")
    html = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    assert escape("Confirmer : l'identité renvoyée correspond au justificatif présenté") in html
    assert Patient.objects.get(pk=patient.pk).ins_matricule in ("", None)
    # Item 4: the comparison is shown once.
    assert html.count('<table class="insi-compare">') == 1
    confirmed = confirm_on_screen(agent_client, patient).content.decode()
    assert "INS récupérée après comparaison avec le justificatif" in confirmed
    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.ins_matricule == "275126322074974"
    assert InsiProposal.objects.get(patient=patient).state == InsiProposal.State.ACCEPTED


def test_insi09_a_confirmation_on_a_stale_version_is_refused_in_french(agent_client, make_person, agent):
    patient = make_person("ADRUN")
    agent_client.post(_page(patient), {"action": "search"})
    proposal = InsiProposal.objects.get(patient=patient, state="PENDING")
    shown_version = Patient.objects.get(pk=patient.pk).version
    patient_update_traits(actor=agent, patient=patient, changes={"birthplace_cog": "63220"})
    html = agent_client.post(
        _page(patient),
        {"action": "confirm", "proposal": str(proposal.public_id), "version": shown_version},
        follow=True,
    ).content.decode()
    assert escape(STALE) in html
    assert not Patient.objects.get(pk=patient.pk).ins_matricule
    with pytest.raises(PreconditionFailed):
        insi_confirm_retrieval(actor=agent, proposal=proposal, expected_version=shown_version)


def test_insi09_the_api_still_retrieves_at_once(make_person, agent):
    outcome = insi_search_for_patient(actor=agent, patient=make_person("ADRUN"))
    assert outcome.outcome == "MATCH" and not outcome.to_confirm
    assert outcome.patient.ins_matricule


def test_insi10_the_api_call_log_names_the_call_a_retry_retried(make_person, agent):
    from insi.services import insi_retry_search
    from tests.patients.api.conftest import token_client, user_with_role

    patient = make_person("HOUILLES", first_name="PIERRE-PAUL", first_names="PIERRE-PAUL JACQUES")
    insi_search_for_patient(actor=agent, patient=patient)
    first = calls_of(patient)[0]
    insi_retry_search(actor=agent, patient=patient, call=first, kind="hyphen_to_space:first_name")
    body = token_client(user_with_role("referent")).get(f"/api/v1/patients/{patient.public_id}/insi/calls/").json()
    rows = body["results"] if isinstance(body, dict) else body
    retries = [row for row in rows if row["retry_of"] is not None]
    assert [(row["retry_of"], row["retry_kind"]) for row in retries] == [(first.pk, "hyphen_to_space:first_name")]
    assert retries[0]["sent_first_name"] == "PIERRE PAUL"
