"""Issue 12, the identity form: the used name under the birth name, and only the acts the rules allow."""

import lxml.html
import pytest
from django.urls import reverse

from patients.services import identity_set_attribute
from tests.factories import PatientFactory, check_passport, qualified_patient

pytestmark = pytest.mark.django_db


def _page(client, patient) -> lxml.html.HtmlElement:
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _buttons(page) -> list[str]:
    return [" ".join(a.text_content().split()) for a in page.xpath('//*[contains(@class, "object-tools")]//a')]


def test_issue12_the_used_name_is_labelled_and_placed_under_the_birth_name(referent_client, referent):
    page = _page(referent_client, PatientFactory(actor=referent))
    assert page.xpath('//label[@for="id_used_name"]')[0].text_content().startswith("Nom utilisé (nom d'usage)")
    names = [field.get("name") for field in page.xpath('//*[@id="content"]//input[@type="text"]')]
    assert names.index("birth_name") + 1 == names.index("used_name") < names.index("first_name"), names


def test_issue12_st03_a_doubtful_identity_offers_no_document_check_and_no_insi_call(referent_client, referent):
    patient = PatientFactory(actor=referent)
    assert "Vérifier une pièce d'identité" in _buttons(_page(referent_client, patient))
    assert "Interroger INSi" in _buttons(_page(referent_client, patient))
    identity_set_attribute(actor=referent, patient=patient, attribute="DOUT", reason="Pièce suspecte")
    buttons = _buttons(_page(referent_client, patient))
    assert "Vérifier une pièce d'identité" not in buttons
    assert "Interroger INSi" not in buttons
    assert "Marquer douteuse / fictive / homonyme" in buttons


def test_issue12_st06_a_provisional_identity_offers_no_downgrade(referent_client, referent):
    patient = PatientFactory(actor=referent)
    assert "Déclasser l'identité" not in _buttons(_page(referent_client, patient))
    assert "Déclasser l'identité" in _buttons(_page(referent_client, qualified_patient()))


def test_issue12_st06_withdrawing_the_ins_is_offered_only_when_there_is_an_ins(referent_client, referent):
    validated = check_passport(PatientFactory(actor=referent))
    page = referent_client.get(reverse("admin:patients_patient_declasser", args=[validated.pk])).content.decode()
    assert "Retirer l&#x27;INS" not in page and "Retirer l'INS" not in page
    assert "Retirer la validation par justificatif" in page
    qualified = qualified_patient(birth_name="AUTRE")
    page = referent_client.get(reverse("admin:patients_patient_declasser", args=[qualified.pk])).content.decode()
    assert "Retirer l&#x27;INS" in page or "Retirer l'INS" in page
