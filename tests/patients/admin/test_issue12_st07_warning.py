"""Issue 12: the ST-07 warning comes before saving, with a reason; agents read the history; first names typed once."""

from html import unescape

import pytest

from patients.models import Patient
from tests.factories import PatientFactory, check_passport
from tests.patients.admin.test_identity_form import ADD_URL, change_url, identity_post

pytestmark = pytest.mark.django_db


def history_url(patient: Patient) -> str:
    from django.urls import reverse

    return reverse("admin:patients_patient_history", args=[patient.pk])


def test_st07_strict_change_of_vali_saves_nothing_until_confirmed_with_a_reason(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))
    version = patient.version

    response = agent_client.post(change_url(patient), identity_post(patient, birth_name="MARTINS"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    warning = " ".join(form.non_field_errors())
    assert "rien n'est encore enregistré" in warning
    assert "Nom de naissance" in warning or "nom de naissance" in warning.lower()
    assert "PROV" in warning and "ST-07" in warning
    assert "reason" in form.errors and "confirm_strict_change" in form.errors
    html = unescape(response.content.decode())
    assert "Je confirme : l'identité perdra sa validation (règle ST-07)" in html
    patient.refresh_from_db()
    assert (patient.birth_name, patient.status, patient.version) == ("MARTIN", "VALI", version)


def test_st07_confirmation_without_reason_still_saves_nothing(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))

    post = identity_post(patient, birth_name="MARTINS", confirm_strict_change="on")
    response = agent_client.post(change_url(patient), post)

    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    patient.refresh_from_db()
    assert (patient.birth_name, patient.status) == ("MARTIN", "VALI")


def test_st07_confirmed_strict_change_saves_drops_status_and_keeps_the_reason(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))

    post = identity_post(patient, birth_name="MARTINS", reason="Erreur de saisie du nom", confirm_strict_change="on")
    response = agent_client.post(change_url(patient), post)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.birth_name, patient.status) == ("MARTINS", "PROV")
    assert patient.history.latest().history_change_reason == "Erreur de saisie du nom"


def test_st07_a_non_strict_change_of_vali_saves_at_once(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))

    response = agent_client.post(change_url(patient), identity_post(patient, used_name="DURAND", phone="0102030405"))

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.used_name, patient.status) == ("DURAND", "VALI")


def test_st07_a_case_only_retyping_is_no_strict_change(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))

    response = agent_client.post(change_url(patient), identity_post(patient, birth_name="martin", used_name="DURAND"))

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.status == "VALI"


def test_st07_strict_change_of_prov_saves_at_once(agent_client):
    patient = PatientFactory(birth_name="MARTIN")

    response = agent_client.post(change_url(patient), identity_post(patient, birth_name="MARTINS"))

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.birth_name, patient.status) == ("MARTINS", "PROV")


def test_st07_confirmation_box_only_on_a_validated_identity(agent_client):
    provisional = PatientFactory(birth_name="MARTIN")
    validated = check_passport(PatientFactory(birth_name="DURAND"))

    assert 'name="confirm_strict_change"' not in agent_client.get(change_url(provisional)).content.decode()
    assert 'name="confirm_strict_change"' in agent_client.get(change_url(validated)).content.decode()


def test_issue12_agent_reads_the_history_with_who_and_why(agent_client, desk_agent):
    patient = PatientFactory(birth_name="MARTIN")
    agent_client.post(change_url(patient), identity_post(patient, used_name="DURAND", reason="Mariage"))

    page = agent_client.get(change_url(patient)).content.decode()
    assert history_url(patient) in page
    response = agent_client.get(history_url(patient))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mariage" in html and desk_agent.get_username() in html
    assert 'name="_save"' not in html


def test_issue12_first_names_default_to_the_first_name_and_the_copy_script_is_served(agent_client):
    html = agent_client.get(ADD_URL).content.decode()
    assert "patients/first_names.js" in html

    response = agent_client.post(ADD_URL, identity_post(birth_name="LEBLANC", first_name="ANNE", first_names=""))

    assert response.status_code == 302
    assert Patient.objects.get(birth_name="LEBLANC").first_names == "ANNE"
