"""Issue 12: an INSi proposal is decided on its own French page (INSI-06, ST-09, AUD-02)."""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from insi.models import InsiCall, InsiProposal
from patients.ins import ins_key
from patients.roles import AGENT, AUDITOR, REFERENT
from patients.services import patient_create
from tests.referent_world import role_member

pytestmark = pytest.mark.django_db


def _client(role: str, username: str) -> Client:
    client = Client()
    client.force_login(role_member(role, username=username))
    return client


@pytest.fixture
def referent_client():
    return _client(REFERENT, "referent.proposition")


@pytest.fixture
def proposal(tmp_path, settings, agent, referent_client):
    """DURAND MARIE: INSi returns a second first name, so the retrieval awaits a referent (INSI-06)."""
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
    patient = patient_create(
        actor=agent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3)
    ).patient
    referent_client.post(reverse("admin:insi_query", args=[patient.pk]), {"action": "search"})
    return InsiProposal.objects.get(patient=patient, state=InsiProposal.State.PENDING)


def _page(proposal: InsiProposal) -> str:
    return reverse("admin:insi_insiproposal_change", args=[proposal.pk])


def _calls_table(client: Client, proposal: InsiProposal) -> str:
    content = client.get(reverse("admin:insi_query", args=[proposal.patient_id])).content.decode()
    return content.split("Derniers appels", 1)[1]


def test_issue12_the_proposal_page_compares_side_by_side_in_french_and_links_the_patient(referent_client, proposal):
    response = referent_client.get(_page(proposal))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Valeur locale" in content and "Valeur INSi" in content
    assert "MARIE LOUISE" in content and "03/06/1972" in content
    assert reverse("admin:patients_patient_change", args=[proposal.patient_id]) in content
    assert "Accepter la proposition" in content and "Rejeter la proposition" in content
    # No raw JSON of the stored differences.
    assert '"trait"' not in content and escape('"trait"') not in content


def test_issue12_the_changelist_links_each_row_to_the_page_with_french_headers(referent_client, proposal):
    content = referent_client.get(reverse("admin:insi_insiproposal_changelist")).content.decode()
    assert f'href="{_page(proposal)}"' in content
    for english in ("Call", "Created by", "Decided by", "Patient<"):
        assert english not in content
    for french in ("Identité", "Créée par", "Décidée par", "Décidée le", "Nature", "État"):
        assert french in content


def test_issue12_referent_accepts_from_the_page_with_a_justification(referent_client, proposal):
    done = referent_client.post(_page(proposal), {"decision": "accept", "justification": "Livret de famille"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == InsiProposal.State.ACCEPTED
    assert proposal.justification == "Livret de famille"
    proposal.patient.refresh_from_db()
    assert (proposal.patient.status, proposal.patient.first_names) == ("RECUP", "MARIE LOUISE")
    page = referent_client.get(_page(proposal)).content.decode()
    assert "Acceptée" in page and "referent.proposition" in page
    assert "Accepter la proposition" not in page


def test_issue12_an_empty_justification_is_a_form_error_and_nothing_is_decided(referent_client, proposal):
    response = referent_client.post(_page(proposal), {"decision": "reject", "justification": "  "})
    assert response.status_code == 200
    assert "Une justification est obligatoire" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == InsiProposal.State.PENDING


@pytest.mark.parametrize("role", [AGENT, AUDITOR])
def test_issue12_non_referents_get_403_on_the_decision_post(proposal, role):
    client = _client(role, f"pas-referent-{role[:5]}")
    refused = client.post(_page(proposal), {"decision": "accept", "justification": "Je décide"})
    assert refused.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == InsiProposal.State.PENDING


def test_issue12_auditors_read_the_page_with_no_decision_buttons(proposal):
    response = _client(AUDITOR, "auditeur.proposition").get(_page(proposal))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Valeur INSi" in content
    assert "Accepter la proposition" not in content and "Rejeter la proposition" not in content
    assert 'id="proposal-decision"' not in content
    assert "Un référent en identitovigilance doit accepter" in content


def test_issue12_a_decided_proposal_cannot_be_decided_twice(referent_client, proposal):
    assert referent_client.post(_page(proposal), {"decision": "reject", "justification": "Homonyme"}).status_code == 302
    second = {"decision": "accept", "justification": "Finalement oui"}
    again = referent_client.post(_page(proposal), second, follow=True)
    content = again.content.decode()
    assert escape("Cette proposition a déjà été traitée (rejetée par referent.proposition") in content
    assert escape("elle ne peut pas être décidée une seconde fois") in content
    proposal.refresh_from_db()
    assert (proposal.state, proposal.justification) == (InsiProposal.State.REJECTED, "Homonyme")
    proposal.patient.refresh_from_db()
    assert proposal.patient.status == "PROV"


def test_issue12_derniers_appels_no_longer_asks_for_a_decision_once_decided(referent_client, proposal):
    required = InsiCall.Outcome.NEEDS_DECISION.label
    assert escape(required) in _calls_table(referent_client, proposal)
    referent_client.post(_page(proposal), {"decision": "reject", "justification": "Homonyme"})
    table = _calls_table(referent_client, proposal)
    assert escape(required) not in table
    assert escape("Proposition rejetée par referent.proposition") in table
