"""Issue 8 on the identity form: birth dates (item 12), TR-07 (item 13), a form that writes nothing (item 18)."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry

from patients.admin.forms import PatientIdentityForm
from patients.models import Patient
from tests.factories import PatientFactory, retrieve_ins
from tests.patients.admin.test_identity_form import ADD_URL, change_url, identity_post, shown_messages

pytestmark = pytest.mark.django_db


def form_errors(response) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in response.context["adminform"].form.errors.items()}


def audit_rows() -> tuple[int, int, int]:
    return Patient.objects.count(), Patient.history.count(), LogEntry.objects.count()


# ----- item 18: is_valid() writes nothing -----------------------------------------------------------------------


def test_fix18_is_valid_on_a_bound_create_form_creates_nothing():
    form = PatientIdentityForm(data=identity_post(birth_name="Lefèvre"))

    assert form.is_valid(), form.errors
    assert audit_rows() == (0, 0, 0)
    assert form.result is None


def test_fix18_is_valid_on_a_bound_change_form_changes_nothing():
    patient = PatientFactory(birth_name="MARTIN")
    before = (patient.version, Patient.history.count())
    form = PatientIdentityForm(data=identity_post(patient, birth_name="MARTINEZ", used_name="Leroy"), instance=patient)

    assert form.is_valid(), form.errors
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.birth_name, stored.used_name) == ("MARTIN", "")
    assert (stored.version, Patient.history.count()) == before


def test_fix18_is_valid_checks_the_rules_without_writing_and_names_the_fields():
    form = PatientIdentityForm(data=identity_post(birth_name="DUP0NT", first_names="PIERRE LOUIS"))

    assert not form.is_valid()
    assert "caractères interdits : « 0 »" in form.errors["birth_name"][0]
    assert "doit commencer par le premier prénom" in form.errors["first_names"][0]
    assert audit_rows() == (0, 0, 0)


def test_fix18_the_admin_view_writes_the_identity_once_the_form_is_valid(agent_client, desk_agent):
    response = agent_client.post(ADD_URL, identity_post(birth_name="Lefèvre", reason="Admission"))

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert patient.birth_name == "LEFEVRE"
    assert patient.history.get().history_user == desk_agent
    assert patient.history.get().history_change_reason == "Admission"
    assert any("enregistré « LEFEVRE »" in text for text in shown_messages(response))


def test_fix18_a_refusal_by_the_service_after_validation_shows_on_the_form_in_french(agent_client):
    patient = retrieve_ins(PatientFactory(birth_name="NGUYEN", first_name="ZOE"))
    before = (patient.version, Patient.history.count())

    # A page opened before the INS locked the strict traits posts them anyway: only the service knows (ST-05).
    response = agent_client.post(change_url(patient), identity_post(patient, birth_name="NGUYEN-TRAN"))

    assert response.status_code == 200
    non_field = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    assert len(non_field) == 1
    assert "verrouillés" in non_field[0] and "règle ST-05" in non_field[0]
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.birth_name, stored.version, Patient.history.count()) == ("NGUYEN", *before)
    assert not LogEntry.objects.exists()


# ----- item 12: birth dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/01/20", "010120", "1/1/20"])
def test_fix12_a_two_digit_year_is_refused_with_the_expected_format(agent_client, typed):
    response = agent_client.post(ADD_URL, identity_post(birth_date=typed))

    assert response.status_code == 200
    message = form_errors(response)["birth_date"][0]
    assert "4 chiffres" in message
    assert "Format attendu : JJ/MM/AAAA" in message
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("02031920", date(1920, 3, 2)), ("02/03/1920", date(1920, 3, 2)), ("2/3/1920", date(1920, 3, 2))],
)
def test_fix12_a_birth_date_typed_with_or_without_separators_is_stored(agent_client, typed, stored):
    response = agent_client.post(ADD_URL, identity_post(birth_date=typed))

    assert response.status_code == 302
    assert Patient.objects.get().birth_date == stored


@pytest.mark.parametrize("typed", ["31/02/1980", "1980-03-02x", "abc", "0203198"])
def test_fix12_a_date_that_cannot_be_read_says_the_expected_format(agent_client, typed):
    response = agent_client.post(ADD_URL, identity_post(birth_date=typed))

    assert "Format attendu : JJ/MM/AAAA" in form_errors(response)["birth_date"][0]
    assert not Patient.objects.exists()


def test_fix12_a_year_before_1900_is_refused(agent_client):
    response = agent_client.post(ADD_URL, identity_post(birth_date="01/01/0020"))

    assert "antérieure au 01/01/1900" in form_errors(response)["birth_date"][0]
    assert not Patient.objects.exists()


def test_fix12_every_error_of_the_identity_form_shows_at_once(agent_client):
    response = agent_client.post(
        ADD_URL,
        identity_post(
            birth_name="DUP0NT",  # TR-03, a rule of the service
            first_name="LOUIS",
            first_names="PIERRE LOUIS",  # TR-01, a rule joining two fields
            birth_date="01/01/20",  # the date format, checked by the form field
            sex="",  # required, checked by Django
            birthplace_cog="7505",  # TR-06
            email="pas-une-adresse",
            used_name="Ｌeroy",  # a compatibility character (item 6)
        ),
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert set(errors) >= {"birth_name", "first_names", "birth_date", "sex", "birthplace_cog", "email", "used_name"}
    assert not Patient.objects.exists()


def test_fix12_the_expiry_date_of_a_document_refuses_a_two_digit_year_too(agent_client):
    from django.urls import reverse

    patient = PatientFactory()
    url = reverse("admin:patients_patient_verifier_piece", args=[patient.pk])
    post = {
        "document_type": "PA",
        "issuing_country": "FR",
        "is_copy": "original",
        "context": "standard",
        "expires_on": "01/01/30",
        "reason": "",
        "read_version": str(patient.version),
    }

    response = agent_client.post(url, post)

    assert response.status_code == 200
    assert "Format attendu : JJ/MM/AAAA" in str(response.context["form"].errors["expires_on"])
    assert not patient.documents.exists()


# ----- item 13: TR-07 on the screen -------------------------------------------------------------------------


def test_tr07_an_estimated_day_must_be_the_first_of_the_month_on_the_screen(agent_client):
    response = agent_client.post(ADD_URL, identity_post(birth_date="14/03/1980", birth_day_estimated="on"))

    assert response.status_code == 200
    message = form_errors(response)["birth_date"][0]
    assert message.startswith("Jour estimé : la règle TR-07 enregistre le 1er du mois, soit le 01/03/1980.")
    assert not Patient.objects.exists()


def test_tr07_an_unknown_date_is_recorded_as_31_december_of_the_estimated_year_on_the_screen(agent_client):
    response = agent_client.post(
        ADD_URL,
        identity_post(
            birth_date="31/12/1950", birth_day_estimated="on", birth_month_estimated="on", birth_year_estimated="on"
        ),
    )

    assert response.status_code == 302
    patient = Patient.objects.get()
    assert patient.birth_date == date(1950, 12, 31)
    assert (patient.birth_day_estimated, patient.birth_month_estimated, patient.birth_year_estimated) == (
        True,
        True,
        True,
    )


def test_tr07_ticking_day_estimated_on_an_identity_is_judged_on_its_stored_date(agent_client):
    patient = PatientFactory(birth_date=date(1980, 3, 14))

    response = agent_client.post(change_url(patient), identity_post(patient, birth_day_estimated="on"))

    assert "soit le 01/03/1980" in form_errors(response)["birth_date"][0]
    patient.refresh_from_db()
    assert patient.birth_day_estimated is False
