"""Screens of issue 9: the IPP everywhere, identifiers of other systems, merge and unmerge (AUD-05)."""

import html

import pytest
from django.urls import reverse

from patients.links import ExternalIdentifier, IdentifierAuthority
from patients.models import Patient
from patients.services import identifier_add
from tests.factories import PatientFactory, retrieve_ins
from tests.patients.admin.test_actions import action_url, change_url, shown_messages

pytestmark = pytest.mark.django_db


def _search(client, text: str):
    return client.post(reverse("admin:patients_patient_search"), {"q": text}, follow=True)


def test_ipp_shown_on_the_list_the_identity_page_and_the_action_header(agent_client):
    patient = PatientFactory(birth_name="DUBE-LAMBERT")
    listing = _search(agent_client, "dube")
    assert patient.ipp in listing.content.decode()
    assert patient.ipp in agent_client.get(change_url(patient)).content.decode()
    assert f"IPP {patient.ipp}" in agent_client.get(action_url(patient, "verifier-piece")).content.decode()


def test_ipp_typed_in_the_search_box_opens_the_identity(agent_client):
    patient = PatientFactory()
    response = _search(agent_client, patient.ipp)
    assert response.redirect_chain[-1][0] == change_url(patient)


def test_identifier_added_on_screen_and_refused_in_french_on_a_second_identity(agent_client, desk_agent):
    IdentifierAuthority.objects.create(code="GHT-NORD", label="CH Nord (GHT)")
    first, second = PatientFactory(), PatientFactory()
    authority = IdentifierAuthority.objects.get().pk
    added = agent_client.post(
        action_url(first, "ajouter-identifiant"),
        {"authority": authority, "value": "A 12", "read_version": first.version},
        follow=True,
    )
    assert "Identifiant ajouté : GHT-NORD : A12." in shown_messages(added)
    assert "A12" in agent_client.get(change_url(first)).content.decode()
    refused = agent_client.post(
        action_url(second, "ajouter-identifiant"),
        {"authority": authority, "value": "a12", "read_version": second.version},
    )
    assert refused.status_code == 200
    assert "déjà porté par une autre identité active" in refused.content.decode()
    assert ExternalIdentifier.objects.filter(patient=second).count() == 0


def test_aud05_merge_and_unmerge_on_screen_with_banner_and_absorbed_list(referent_client, referent):
    survivor, duplicate = PatientFactory(), PatientFactory()
    merged = referent_client.post(
        action_url(survivor, "fusionner"),
        {"duplicate_ipp": duplicate.ipp, "reason": "doublon avéré", "read_version": survivor.version},
        follow=True,
    )
    assert f"L'identité IPP {duplicate.ipp} a été fusionnée dans celle-ci (règle AUD-05)." in shown_messages(merged)
    assert "Identités fusionnées dans celle-ci" in merged.content.decode()
    page = referent_client.get(change_url(duplicate)).content.decode()
    assert "Identité fusionnée dans" in page and change_url(survivor) in page
    assert "Défusionner" in page and "Fusionner un doublon ici" not in page
    # The merged IPP typed in the search box opens the survivor.
    assert _search(referent_client, duplicate.ipp).redirect_chain[-1][0] == change_url(survivor)

    undone = referent_client.post(action_url(duplicate, "defusionner"), {"reason": "erreur"}, follow=True)
    assert any("Fusion défaite" in text for text in shown_messages(undone))
    assert Patient.objects.get(pk=duplicate.pk).is_active


def test_aud05_merge_screen_refuses_two_different_ins_with_the_reason(referent_client):
    survivor = retrieve_ins(PatientFactory())
    duplicate = retrieve_ins(PatientFactory(), matricule="269029934173285")
    survivor.refresh_from_db()
    response = referent_client.post(
        action_url(survivor, "fusionner"),
        {"duplicate_ipp": duplicate.ipp, "reason": "doublon", "read_version": survivor.version},
    )
    assert response.status_code == 200
    assert "ST-11" in response.content.decode()
    assert Patient.objects.get(pk=duplicate.pk).is_active


def test_aud05_agents_see_no_merge_button_and_cannot_open_the_page(agent_client):
    patient = PatientFactory()
    assert "Fusionner un doublon ici" not in agent_client.get(change_url(patient)).content.decode()
    assert agent_client.get(action_url(patient, "fusionner")).status_code == 403


def test_identifier_removed_on_screen_with_a_reason(agent_client, desk_agent):
    authority = IdentifierAuthority.objects.create(code="LABO", label="Laboratoire")
    patient = PatientFactory()
    identifier = identifier_add(actor=desk_agent, patient=patient, authority=authority, value="L1").identifier
    patient.refresh_from_db()
    response = agent_client.post(
        action_url(patient, "retirer-identifiant"),
        {"identifier": identifier.pk, "reason": "erreur", "read_version": patient.version},
        follow=True,
    )
    assert "Identifiant retiré : LABO : L1." in shown_messages(response)
    assert not ExternalIdentifier.objects.filter(patient=patient).exists()


def test_identifier_typed_in_the_search_box_finds_its_identity(agent_client, desk_agent):
    authority = IdentifierAuthority.objects.create(code="ANCIEN", label="Ancien logiciel")
    patient = PatientFactory()
    identifier_add(actor=desk_agent, patient=patient, authority=authority, value="OLD-4242")
    response = _search(agent_client, "old-4242")
    assert patient.ipp in response.content.decode()


def test_aud05_only_the_referent_role_holds_the_merge_permission():
    from django.contrib.auth.models import Group

    from patients import roles

    holders = set(
        Group.objects.filter(permissions__codename="merge_identity").values_list("name", flat=True).distinct()
    )
    assert holders == {roles.REFERENT}


def test_aud05_history_page_and_merge_journal_show_the_merge_and_the_unmerge(referent_client, referent, auditor_client):
    from patients.services import patient_merge, patient_unmerge

    survivor, duplicate = PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="même personne")
    patient_unmerge(actor=referent, merged=duplicate, reason="deux personnes")
    history = referent_client.get(reverse("admin:patients_patient_history", args=[duplicate.pk])).content.decode()
    assert "Fusion : identité fusionnée dans une autre (AUD-05)" in history
    assert "Défusion : identité rétablie (AUD-05)" in history
    journal = auditor_client.get(reverse("admin:patients_mergerecord_changelist"))
    assert journal.status_code == 200
    assert html.escape(duplicate.birth_name) in journal.content.decode()


def test_identifier_demo_loads_assigning_authorities():
    from django.core.management import call_command

    call_command("load_demo", password="demo-pass-123")
    assert IdentifierAuthority.objects.filter(code="GHT-CHU").exists()


def test_aud05_a_merged_identity_offers_no_insi_call_nor_consent_page_its_survivor_does(referent_client, referent):
    from patients.services import patient_merge

    survivor, duplicate = PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="même personne")
    merged_page = referent_client.get(reverse("admin:patients_patient_change", args=[duplicate.pk])).content.decode()
    survivor_page = referent_client.get(reverse("admin:patients_patient_change", args=[survivor.pk])).content.decode()
    from patients.extensions import patient_page_links

    links = patient_page_links(user=referent, patient_id=duplicate.pk)
    assert {label for label, _ in links} >= {"Interroger INSi", "Consentements et accès DMP"}
    for _, url in links:
        assert f'href="{url}"' not in merged_page
    for _, url in patient_page_links(user=referent, patient_id=survivor.pk):
        assert f'href="{url}"' in survivor_page
