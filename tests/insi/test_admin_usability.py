"""Usability defects found by exploring the "Interroger INSi" screen as agents and referents (INSI-06, INSI-09)."""

import re

import pytest
from django.urls import reverse

from patients.roles import AGENT, AUDITOR, REFERENT
from tests.insi.helpers import role_user

pytestmark = pytest.mark.django_db


def _page(patient) -> str:
    return reverse("admin:insi_query", kwargs={"patient_id": patient.pk})


@pytest.fixture
def agent_client(client):
    client.force_login(role_user("ux-agent", AGENT, is_staff=True))
    return client


def test_insi09_the_screen_links_back_to_the_identity_page_in_its_breadcrumbs(agent_client, make_person):
    patient = make_person("ADRUN")
    content = agent_client.get(_page(patient)).content.decode()
    identity_url = reverse("admin:patients_patient_change", args=[patient.pk])
    breadcrumbs = content.split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
    assert f'href="{identity_url}"' in breadcrumbs
    assert 'id="back-to-identity"' in content


def test_insi09_last_calls_show_their_date_as_jj_mm_aaaa(client, make_person):
    client.force_login(role_user("ux-referent-calls", REFERENT, is_staff=True))
    patient = make_person("ADRUN")
    content = client.post(_page(patient), {"action": "search"}).content.decode()
    calls_table = content.split("Derniers appels", 1)[1]
    assert re.search(r"<td>\d{2}/\d{2}/\d{4} \d{2}:\d{2}</td>", calls_table)
    assert not re.search(r"<td>\d{1,2} [a-zéû]+ \d{4}", calls_table)


def test_insi09_a_refused_carte_vitale_number_stays_in_the_field(agent_client, make_person):
    patient = make_person("ADRUN")
    response = agent_client.post(_page(patient), {"action": "vitale", "individual": "12345", "birth_rank": "1"})
    content = response.content.decode()
    assert "15 caractères avec une clé valide" in content
    assert re.search(r'name="individual"[^>]*value="12345"', content)


def test_st09_a_user_without_the_permission_gets_a_french_refusal_page(client, make_person):
    client.force_login(role_user("ux-auditeur", AUDITOR, is_staff=True))
    response = client.get(_page(make_person("ADRUN")))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Accès refusé" in content
    assert "Forbidden" not in content


def test_insi09_the_comparison_shows_the_sex_in_words(agent_client, make_person):
    patient = make_person("ADRUN")
    content = agent_client.post(_page(patient), {"action": "search"}).content.decode()
    sex_row = content.split("<th>Sexe</th>", 1)[1].split("</tr>", 1)[0]
    assert "<td>Féminin</td>" in sex_row
    assert "<td>F</td>" not in sex_row


def test_insi09_a_carte_vitale_number_typed_with_its_printed_spaces_is_accepted(agent_client, make_person):
    patient = make_person("ADRUN")
    content = agent_client.post(
        _page(patient), {"action": "vitale", "individual": "2 75 12 63 220 749 74", "birth_rank": "1"}
    ).content.decode()
    assert "à comparer au justificatif" in content
    assert 'maxlength="20"' not in content
