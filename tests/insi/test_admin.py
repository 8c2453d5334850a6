"""The "Interroger INSi" admin screen and the read-only call log (ST-09, INSI-06, AUD-02)."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from insi.client import TECHNICAL_ERROR_MESSAGE
from insi.models import InsiCall, InsiProposal
from patients.extensions import patient_page_links
from patients.ins import ins_key
from patients.roles import AGENT, AUDITOR, REFERENT
from patients.services import patient_create
from tests.factories import UserFactory
from tests.insi.helpers import confirm_on_screen, role_user, snapshot

pytestmark = pytest.mark.django_db


def _staff(username: str, group: str):
    return role_user(username, group, is_staff=True)


@pytest.fixture
def agent_client(client):
    client.force_login(_staff("ecran-agent", AGENT))
    return client


@pytest.fixture
def referent_client(client):
    client.force_login(_staff("ecran-referent", REFERENT))
    return client


def _page(patient) -> str:
    return reverse("admin:insi_query", kwargs={"patient_id": patient.pk})


def test_st09_the_identity_page_offers_interroger_insi_only_to_users_allowed_to_query(make_person):
    patient = make_person("ADRUN")
    agent = _staff("lien-agent", AGENT)
    auditor = _staff("lien-auditeur", AUDITOR)
    assert ("Interroger INSi", _page(patient)) in patient_page_links(user=agent, patient_id=patient.pk)
    assert "Interroger INSi" not in [label for label, _ in patient_page_links(user=auditor, patient_id=patient.pk)]


def test_insi09_search_from_the_screen_shows_local_and_insi_traits_side_by_side(agent_client, make_person):
    patient = make_person("ADRUN")
    response = agent_client.post(_page(patient), {"action": "search"})
    content = response.content.decode()
    assert response.status_code == 200
    # Issue 12: the screen shows the returned identity to compare with the document; nothing is recorded yet.
    assert "à comparer au justificatif" in content
    assert "275126322074974" in content
    assert "Valeur locale" in content and "Valeur INSi" in content
    assert "INS récupérée" in confirm_on_screen(agent_client, patient).content.decode()


def test_insi03_discordance_is_highlighted_with_its_rule_and_retries(agent_client, make_person):
    patient = make_person("TCHITCHI")
    content = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    assert 'class="diff-DISCORDANT"' in content
    assert "INSI-03" in content
    assert "Relances suggérées" in content


def test_insi02_technical_failure_shows_the_french_message_and_changes_nothing(agent_client, make_person):
    patient = make_person("VANDERMONDE")
    before = snapshot(patient)
    content = agent_client.post(_page(patient), {"action": "search"}, follow=True).content.decode()
    assert escape(TECHNICAL_ERROR_MESSAGE) in content
    assert snapshot(patient) == before


def test_auditor_cannot_open_the_query_screen(client, make_person):
    client.force_login(_staff("ecran-auditeur", AUDITOR))
    assert client.get(_page(make_person("ADRUN"))).status_code == 403


@pytest.fixture
def pending(tmp_path, settings, agent):
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
    return patient_create(actor=agent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3))


def test_insi06_agent_sees_the_proposal_but_no_decision_buttons(agent_client, pending):
    patient = pending.patient
    content = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    assert "Proposition INSi en attente" in content
    assert "Un référent en identitovigilance doit accepter" in content
    refused = agent_client.post(_page(patient), {"action": "accept", "decision": "accept", "justification": "x"})
    assert refused.status_code == 403


def test_insi06_referent_accepts_with_a_justification_and_an_empty_one_is_a_form_error(referent_client, pending):
    patient = pending.patient
    referent_client.post(_page(patient), {"action": "search"})
    empty = referent_client.post(_page(patient), {"action": "accept", "decision": "accept", "justification": ""})
    assert "Une justification est obligatoire" in empty.content.decode()
    assert InsiProposal.objects.get(patient=patient).state == "PENDING"
    done = referent_client.post(
        _page(patient), {"action": "accept", "decision": "accept", "justification": "Livret de famille"}
    )
    assert done.status_code == 302
    patient.refresh_from_db()
    assert (patient.status, patient.first_names) == ("RECUP", "MARIE LOUISE")


def test_insi06_a_decision_on_a_proposal_already_decided_says_so(referent_client, pending):
    patient = pending.patient
    referent_client.post(_page(patient), {"action": "search"})
    decide = {"action": "reject", "decision": "reject", "justification": "Homonyme"}
    assert referent_client.post(_page(patient), decide).status_code == 302
    again = referent_client.post(_page(patient), decide, follow=True)
    assert "déjà été traitée" in again.content.decode()
    assert InsiProposal.objects.get(patient=patient).state == "REJECTED"


def test_aud02_call_log_is_readable_by_auditors_and_read_only_for_all(client, make_person, agent):
    from insi.services import insi_search_for_patient

    patient = make_person("ADRUN")
    insi_search_for_patient(actor=agent, patient=patient)
    call = InsiCall.objects.get(patient=patient)
    client.force_login(_staff("journal-auditeur", AUDITOR))
    assert client.get(reverse("admin:insi_insicall_changelist")).status_code == 200
    assert client.get(reverse("admin:insi_insicall_change", args=[call.pk])).status_code == 200
    superuser = UserFactory(username="admin-tout", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:insi_insicall_add")).status_code == 403
    assert client.post(reverse("admin:insi_insicall_delete", args=[call.pk]), {"post": "yes"}).status_code == 403
    assert InsiCall.objects.filter(pk=call.pk).exists()
