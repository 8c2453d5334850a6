"""Issue 12: the document check screen and API (ID-01, ID-09, ST-10): traits, confirmation, number, duplicates."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from patients import roles
from patients.models import IdentityDocument, Patient
from patients.records import DocumentDeclined
from patients.services import identity_downgrade, identity_record_document_declined, identity_validate_document
from patients.timeline import patient_full_timeline
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return staff_member(roles.AGENT, username="agent.controle")


@pytest.fixture
def patient(agent):
    return PatientFactory(
        actor=agent,
        birth_name="DE LA FONTAINE",
        first_name="MARIE-CHRISTINE",
        first_names="MARIE-CHRISTINE ODILE LUCIE",
        birthplace_cog="69123",
    )


@pytest.fixture
def client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def check_url(patient: Patient) -> str:
    return f"/admin/patients/patient/{patient.pk}/verifier-piece/"


def post_check(client: Client, patient: Patient, **fields):
    patient.refresh_from_db()
    data = {
        "document_type": "PA",
        "issuing_country": "FR",
        "is_copy": "original",
        "context": "standard",
        "traits_confirmed": "on",
        "read_version": patient.version,
        **fields,
    }
    return client.post(check_url(patient), {k: v for k, v in data.items() if v is not None})


def test_id01_the_check_screen_shows_every_strict_trait_beside_the_form(client, patient):
    page = client.get(check_url(patient)).content.decode()
    table = page[page.index('id="strict-traits"') :]
    for shown in (
        "DE LA FONTAINE",
        "MARIE-CHRISTINE ODILE LUCIE",
        "69123",
        "Féminin",
        patient.birth_date.strftime("%d/%m/%Y"),
    ):
        assert shown in table
    assert "Les traits sont conformes au justificatif" in page
    assert 'enctype="multipart/form-data"' in page


def test_id01_a_high_trust_document_needs_the_traits_confirmed_box(client, patient):
    response = post_check(client, patient, traits_confirmed=None)
    assert response.status_code == 200
    assert "Cochez « les traits sont conformes au justificatif »" in response.content.decode()
    patient.refresh_from_db()
    assert patient.status == "PROV" and not patient.documents.exists()

    assert post_check(client, patient).status_code == 302
    patient.refresh_from_db()
    assert patient.status == "VALI"
    assert patient.documents.get().traits_confirmed is True


def test_id01_a_document_that_cannot_validate_is_recorded_without_the_box(client, patient):
    assert post_check(client, patient, document_type="PERMIS", traits_confirmed=None).status_code == 302
    assert patient.documents.get().can_validate is False


def test_id01_number_and_expiry_are_recorded_normalised_and_bounded(client, patient):
    response = post_check(client, patient, document_number="12ab 345-67", expires_on="31/12/2031")
    assert response.status_code == 302
    document = patient.documents.get()
    assert (document.document_number, document.expires_on) == ("12AB34567", date(2031, 12, 31))

    other = PatientFactory(birth_name="AUTRE")
    page = post_check(client, other, document_number="X" * 31).content.decode()
    assert "au plus 30 caractères" in page
    page = post_check(client, other, document_number="12AB/34").content.decode()
    assert "que des lettres (sans accent) et des chiffres" in page
    page = post_check(client, other, expires_on="01/01/2199").content.decode()
    assert "Date hors des limites admises" in page
    assert not other.documents.exists()


def test_id01_the_same_document_number_is_refused_twice_for_an_identity_with_a_french_explanation(client, patient):
    assert post_check(client, patient, document_number="12AB34567").status_code == 302
    page = post_check(client, patient, document_number="12 ab 34567").content.decode()
    assert "est déjà enregistré pour cette identité" in page
    assert patient.documents.count() == 1
    # Another number is another document.
    assert post_check(client, patient, document_number="99ZZ00000").status_code == 302
    assert patient.documents.count() == 2


def test_id01_the_same_document_may_be_checked_again_after_the_validation_was_withdrawn(agent, patient):
    referent = staff_member(roles.REFERENT, username="referent.controle")
    identity_validate_document(
        actor=agent, patient=patient, document_type="PA", issuing_country="FR", document_number="A1"
    )
    patient.refresh_from_db()
    identity_downgrade(
        actor=referent, patient=patient, withdraw_ins=False, withdraw_document=True, reason="Incohérence (ST-06)"
    )
    result = identity_validate_document(
        actor=agent, patient=patient, document_type="PA", issuing_country="FR", document_number="A1"
    )
    assert result.patient.status == "VALI" and patient.documents.count() == 2


def test_id01_an_identical_check_without_number_is_refused_while_the_identity_is_unchanged(client, patient):
    assert post_check(client, patient, document_type="PERMIS", traits_confirmed=None).status_code == 302
    page = post_check(client, patient, document_type="PERMIS", traits_confirmed=None).content.decode()
    assert "Un contrôle identique (Permis de conduire, sans numéro)" in page
    assert patient.documents.count() == 1


def test_id01_the_database_refuses_the_same_document_against_the_same_identity_version(agent, patient):
    document = identity_validate_document(
        actor=agent, patient=patient, document_type="PERMIS", issuing_country="FR"
    ).document
    twin = IdentityDocument(
        patient=patient,
        document_type="PERMIS",
        issuing_country="FR",
        identity_version=document.identity_version,
        checked_by=agent,
        checked_at=document.checked_at,
        can_validate=False,
        rule="ID-02",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_st10_a_refusal_to_show_a_document_is_recorded_keeps_the_status_and_shows_in_history_and_timeline(
    client, patient, agent
):
    page = client.get(f"/admin/patients/patient/{patient.pk}/refus-justificatif/")
    assert page.status_code == 200
    patient.refresh_from_db()
    response = client.post(
        f"/admin/patients/patient/{patient.pk}/refus-justificatif/",
        {"reason": "Ne souhaite pas présenter sa pièce", "read_version": patient.version},
    )
    assert response.status_code == 302
    declined = DocumentDeclined.objects.get(patient=patient)
    assert (declined.recorded_by, declined.reason) == (agent, "Ne souhaite pas présenter sa pièce")
    patient.refresh_from_db()
    assert patient.status == "PROV" and not patient.document_checked
    identity_page = client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert "Refus de présenter un justificatif le" in identity_page
    labels = [e.label for e in patient_full_timeline(patient=patient)]
    assert "Refus de présenter un justificatif d'identité (ST-10)" in labels


def test_st10_a_refusal_leaves_a_validated_identity_validated(agent, patient):
    identity_validate_document(actor=agent, patient=patient, document_type="PA", issuing_country="FR")
    identity_record_document_declined(actor=agent, patient=patient)
    patient.refresh_from_db()
    assert patient.status == "VALI"


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_id01_the_api_records_number_and_refuses_a_duplicate_with_409(agent, patient):
    client = _api(agent)
    url = f"/api/v1/patients/{patient.public_id}/validate-document/"
    body = {"document_type": "CN", "issuing_country": "FR", "document_number": "x1 23", "traits_confirmed": True}
    first = client.post(url, body, format="json", HTTP_IF_MATCH=f'"{patient.version}"')
    assert first.status_code == 200
    assert first.json()["document"]["document_number"] == "X123"
    version = first["ETag"]
    second = client.post(url, body, format="json", HTTP_IF_MATCH=version)
    assert second.status_code == 409 and second.json()["code"] == "DOCUMENT_ALREADY_RECORDED"


def test_id01_the_api_refuses_a_high_trust_document_whose_traits_are_not_confirmed(agent, patient):
    response = _api(agent).post(
        f"/api/v1/patients/{patient.public_id}/validate-document/",
        {"document_type": "PA", "issuing_country": "FR", "traits_confirmed": False},
        format="json",
        HTTP_IF_MATCH=f'"{patient.version}"',
    )
    assert response.status_code == 400 and "traits_confirmed" in response.json()["details"]


def test_st10_the_api_records_a_refusal_to_show_a_document(agent, patient):
    response = _api(agent).post(
        f"/api/v1/patients/{patient.public_id}/document-declined/",
        {"reason": "Refus"},
        format="json",
        HTTP_IF_MATCH=f'"{patient.version}"',
    )
    assert response.status_code == 201
    assert response.json()["patient"]["status"] == "PROV"
    assert DocumentDeclined.objects.filter(patient=patient).count() == 1
