"""Usability defects found by exploring the identity screens in French (ID-01, ID-04, ST-09)."""

import pytest
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return response.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]


def test_st09_add_page_title_is_correct_french(agent_client):
    response = agent_client.get(reverse("admin:patients_patient_add"))
    assert "Création d&#x27;une identité" in _title(response) or "Création d'une identité" in _title(response)
    assert "de identité" not in response.content.decode()


def test_st09_change_and_view_pages_titles_are_correct_french(agent_client, auditor_client):
    patient = PatientFactory()
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    assert "Modification de l" in _title(agent_client.get(url))
    assert "Consultation de l" in _title(auditor_client.get(url))
    assert "de identité" not in agent_client.get(url).content.decode()


def test_id04_refused_copy_message_agrees_with_a_feminine_document_name(referent_client):
    patient = PatientFactory()
    response = referent_client.post(
        reverse("admin:patients_patient_verifier_piece", args=[patient.pk]),
        {
            "document_type": "CN",
            "issuing_country": "FR",
            "is_copy": "copy",
            "context": "standard",
            "read_version": patient.version,
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Justificatif enregistré (Carte nationale d&#x27;identité)" in content
    assert "identité enregistré," not in content


def test_st02_setting_and_clearing_an_attribute_is_confirmed_with_its_french_label(referent_client):
    patient = PatientFactory()
    url = reverse("admin:patients_patient_poser_attribut", args=[patient.pk])
    response = referent_client.post(
        url, {"attribute": "DOUT", "reason": "Doute à l'accueil", "read_version": patient.version}, follow=True
    )
    assert "Attribut posé : DOUT · Identité douteuse." in response.content.decode()
    patient.refresh_from_db()
    url = reverse("admin:patients_patient_retirer_attribut", args=[patient.pk])
    response = referent_client.post(
        url, {"attribute": "DOUT", "reason": "Levée du doute", "read_version": patient.version}, follow=True
    )
    assert "Attribut retiré : DOUT · Identité douteuse." in response.content.decode()


def test_st09_the_list_offers_creer_une_identite_to_agents_and_nothing_to_auditors(agent_client, auditor_client):
    url = reverse("admin:patients_patient_changelist")
    add_url = reverse("admin:patients_patient_add")
    agent_page = agent_client.get(url).content.decode()
    assert f'<a href="{add_url}" class="addlink">Créer une identité</a>' in agent_page
    assert "Ajouter identité" not in agent_page
    assert add_url not in auditor_client.get(url).content.decode()
