"""Actions of the identity page: each reserved to its permission (ST-09), each calling its service."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from patients import extensions
from patients.models import IdentityDocument
from patients.services import identity_set_attribute
from tests.factories import PatientFactory, qualified_patient

pytestmark = pytest.mark.django_db

ACTIONS = {
    "verifier-piece": "Vérifier une pièce d'identité",
    "refus-justificatif": "Refus de présenter un justificatif",
    "poser-attribut": "Marquer douteuse / fictive / homonyme",
    "retirer-attribut": "Retirer l'attribut",
    "declasser": "Déclasser l'identité",
}
ALLOWED = {
    "agent": {"verifier-piece", "refus-justificatif"},
    "referent": {"verifier-piece", "refus-justificatif", "poser-attribut", "retirer-attribut", "declasser"},
    "auditor": set(),
    "dpi": set(),
}
MATRIX = [(role, slug, slug in allowed) for role, allowed in ALLOWED.items() for slug in ACTIONS]


def action_url(patient, slug: str) -> str:
    return reverse(f"admin:patients_patient_{slug.replace('-', '_')}", args=[patient.pk])


def change_url(patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def homonym(referent):
    """A qualified identity flagged HOMD, so that every action has something to act on."""
    patient = qualified_patient(birth_name="LE GALL", first_name="NOE")
    return identity_set_attribute(actor=referent, patient=patient, attribute="HOMD", reason="Homonyme").patient


@pytest.mark.parametrize(("role", "slug", "allowed"), MATRIX)
def test_st09_each_action_page_opens_only_for_its_permission(role_clients, homonym, role, slug, allowed):
    response = role_clients[role].get(action_url(homonym, slug))

    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("role", "slug", "allowed"), MATRIX)
def test_st09_action_buttons_show_only_for_their_permission(role_clients, homonym, role, slug, allowed):
    html = role_clients[role].get(change_url(homonym)).content.decode()

    assert (escape(ACTIONS[slug]) in html) is allowed


@pytest.mark.parametrize("role", ["auditor", "dpi"])
def test_st09_a_forbidden_post_changes_nothing(role_clients, homonym, role):
    response = role_clients[role].post(
        action_url(homonym, "declasser"), {"withdraw_ins": "on", "reason": "Essai", "read_version": homonym.version}
    )

    assert response.status_code == 403
    homonym.refresh_from_db()
    assert homonym.status == "QUAL"


def test_id01_an_original_passport_validates_the_identity(agent_client, desk_agent):
    patient = PatientFactory(birth_name="MARTIN")

    response = agent_client.post(
        action_url(patient, "verifier-piece"),
        {
            "document_type": "PA",
            "issuing_country": "fr",
            "is_copy": "original",
            "context": "standard",
            # Issue 12: the agent confirms the strict traits match the document (ID-01).
            "traits_confirmed": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == change_url(patient)
    patient.refresh_from_db()
    assert patient.status == "VALI"
    assert patient.documents.get().checked_by == desk_agent
    expected = "Justificatif contrôlé (Passeport, règle ID-01). Statut : VALI · Identité validée."
    assert expected in shown_messages(response)


def test_id02_a_driving_licence_is_recorded_and_the_refusal_reason_shown_in_french(agent_client):
    patient = PatientFactory()

    response = agent_client.post(
        action_url(patient, "verifier-piece"),
        {"document_type": "PERMIS", "issuing_country": "FR", "is_copy": "original", "context": "standard"},
        follow=True,
    )

    html = response.content.decode()
    assert "il ne mentionne pas le sexe (règle ID-02)" in html
    # The evidence stays listed on the identity page with its refusal reason.
    documents = html.split('id="identity-documents"')[1].split("</table>")[0]
    assert "Permis de conduire" in documents
    assert "Ne valide pas : Le permis de conduire" in documents
    assert "PROV · Identité provisoire" in html
    patient.refresh_from_db()
    assert patient.status == "PROV"
    assert IdentityDocument.objects.get().can_validate is False


def test_id04_a_copy_is_refused_with_its_reason(agent_client):
    patient = PatientFactory()

    response = agent_client.post(
        action_url(patient, "verifier-piece"),
        {"document_type": "CN", "issuing_country": "FR", "is_copy": "copy", "context": "standard"},
    )

    assert any("règle ID-04" in text for text in shown_messages(response))


def test_document_form_rejects_a_bad_country_code_in_french(agent_client):
    patient = PatientFactory()

    response = agent_client.post(
        action_url(patient, "verifier-piece"),
        {"document_type": "PA", "issuing_country": "1X", "is_copy": "original", "context": "standard"},
    )

    assert response.status_code == 200
    assert "code ISO 3166 à deux lettres" in str(response.context["form"].errors["issuing_country"])
    assert not IdentityDocument.objects.exists()


def test_st03_a_doubtful_identity_cannot_be_validated_and_the_page_says_why(agent_client, referent):
    patient = PatientFactory()
    identity_set_attribute(actor=referent, patient=patient, attribute="DOUT", reason="Doute")

    response = agent_client.post(
        action_url(patient, "verifier-piece"),
        {"document_type": "PA", "issuing_country": "FR", "is_copy": "original", "context": "standard"},
    )

    assert response.status_code == 200
    assert "ne peut pas être validée (règle ST-03)" in str(response.context["form"].non_field_errors())
    assert not IdentityDocument.objects.exists()


def test_st02_setting_an_attribute_needs_a_reason(referent_client):
    patient = PatientFactory()

    response = referent_client.post(action_url(patient, "poser-attribut"), {"attribute": "DOUT", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    patient.refresh_from_db()
    assert not patient.doubtful


def test_st03_marking_a_qualified_identity_doubtful_makes_it_provisional(referent_client, referent):
    patient = qualified_patient()

    response = referent_client.post(
        action_url(patient, "poser-attribut"),
        {"attribute": "DOUT", "reason": "Deux personnes se présentent sous cette identité"},
    )

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.doubtful, patient.status) == (True, "PROV")
    assert any("règle ST-03" in text for text in shown_messages(response))
    latest = patient.history.latest()
    assert (latest.history_user, latest.history_reason_code) == (referent, "ATTRIBUTE_SET_DOUT")


def test_st02_doubtful_and_fictitious_together_is_a_french_form_error(referent_client, referent):
    patient = PatientFactory()
    identity_set_attribute(actor=referent, patient=patient, attribute="FICT", reason="Accouchement sous X")

    response = referent_client.post(action_url(patient, "poser-attribut"), {"attribute": "DOUT", "reason": "Doute"})

    assert response.status_code == 200
    assert "à la fois douteuse et fictive" in str(response.context["form"].non_field_errors())
    patient.refresh_from_db()
    assert (patient.fictitious, patient.doubtful) == (True, False)


def test_st02_clearing_offers_only_the_attributes_set_and_needs_a_reason(referent_client, homonym):
    html = referent_client.get(action_url(homonym, "retirer-attribut")).content.decode()
    assert 'value="HOMD"' in html
    assert 'value="DOUT"' not in html

    response = referent_client.post(
        action_url(homonym, "retirer-attribut"), {"attribute": "HOMD", "reason": "Erreur de saisie"}
    )

    assert response.status_code == 302
    homonym.refresh_from_db()
    assert not homonym.homonym_detected


def test_st06_downgrade_needs_a_reason_then_unlocks_the_strict_traits(referent_client):
    patient = qualified_patient()
    url = action_url(patient, "declasser")

    refused = referent_client.post(url, {"withdraw_ins": "on", "reason": "  "})
    assert "obligatoire" in str(refused.context["form"].errors["reason"]).lower()

    response = referent_client.post(url, {"withdraw_ins": "on", "reason": "INS attribuée à un homonyme"})

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.status, patient.ins_matricule) == ("VALI", None)
    html = referent_client.get(change_url(patient)).content.decode()
    assert "disabled" not in html.split('name="birth_name"')[1].split(">")[0]


def test_st06_downgrade_with_nothing_ticked_is_a_french_form_error(referent_client):
    patient = qualified_patient()

    response = referent_client.post(action_url(patient, "declasser"), {"reason": "Incohérence"})

    assert response.status_code == 200
    assert "Indiquez ce qui est retiré" in str(response.context["form"].errors["withdraw_ins"])


def test_an_action_on_a_page_read_before_another_change_is_refused(referent_client, homonym):
    stale_version = homonym.version
    referent_client.post(action_url(homonym, "retirer-attribut"), {"attribute": "HOMD", "reason": "Erreur"})

    response = referent_client.post(
        action_url(homonym, "declasser"),
        {"withdraw_ins": "on", "reason": "Homonyme", "read_version": stale_version},
    )

    assert response.status_code == 200
    assert "modifiée par ailleurs" in str(response.context["form"].non_field_errors())


@pytest.mark.urls("tests.patients.admin.urls")
def test_links_registered_by_other_apps_show_for_users_with_their_permission(agent_client, auditor_client, monkeypatch):
    link = extensions.PatientPageLink("Interroger INSi", "test-insi-query", "patients.add_identitydocument")
    monkeypatch.setattr(extensions, "_PATIENT_PAGE_LINKS", [link])
    patient = PatientFactory()

    agent_html = agent_client.get(change_url(patient)).content.decode()
    auditor_html = auditor_client.get(change_url(patient)).content.decode()

    assert f'<a href="/test-insi/{patient.pk}/">Interroger INSi</a>' in agent_html
    assert "Interroger INSi" not in auditor_html
