"""The identity form: fieldsets, keyboard use, saving through the services, TR-03 and ST-05 shown."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from patients.admin.display import LOCKED_TRAIT_REASON
from patients.models import Patient
from tests.factories import PatientFactory, check_passport, retrieve_ins

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:patients_patient_add")


def change_url(patient: Patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def identity_post(patient: Patient | None = None, **overrides) -> dict:
    """What the browser posts: every editable field of the form, as an agent typed it."""
    data = {
        "birth_name": "MARTIN",
        "first_name": "LOUIS",
        "first_names": "LOUIS",
        "sex": "M",
        "birth_date": "02/03/1980",
        "birthplace_cog": "75056",
        "used_name": "",
        "used_first_name": "",
        "address": "",
        "phone": "",
        "email": "",
        "reason": "",
        "_save": "Enregistrer",
    }
    if patient is not None:
        data.update(
            {
                "birth_name": patient.birth_name,
                "first_name": patient.first_name,
                "first_names": patient.first_names,
                "sex": patient.sex,
                "birth_date": patient.birth_date.strftime("%d/%m/%Y"),
                "birthplace_cog": patient.birthplace_cog,
                "used_name": patient.used_name,
                "read_version": str(patient.version),
            }
        )
    data.update(overrides)
    return data


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_add_form_separates_strict_and_additional_traits_for_keyboard_entry(agent_client):
    html = agent_client.get(ADD_URL).content.decode()

    assert "Traits stricts" in html
    assert "Traits complémentaires" in html
    assert html.index('name="birth_name"') < html.index('name="used_name"')
    assert "autofocus" in html.split('name="birth_name"')[1].split(">")[0]
    # A date typed at the keyboard, not a calendar to click.
    assert 'type="text" name="birth_date"' in html
    assert 'placeholder="JJ/MM/AAAA"' in html


def test_tr03_create_shows_stored_value_and_transliteration_warning(agent_client, desk_agent):
    response = agent_client.post(
        ADD_URL, identity_post(birth_name="Lefèvre-Bélanger", first_name="Lætitia", first_names="Lætitia Zoé")
    )

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(patient)
    assert (patient.birth_name, patient.first_name, patient.first_names) == (
        "LEFEVRE-BELANGER",
        "LAETITIA",
        "LAETITIA ZOE",
    )
    assert patient.history.get().history_user == desk_agent
    texts = shown_messages(response)
    assert "Le premier prénom de naissance : « æ » a été remplacé par « AE » (règle TR-03)." in texts
    assert any("saisi « Lefèvre-Bélanger », enregistré « LEFEVRE-BELANGER »" in t for t in texts)
    page = agent_client.get(response.url).content.decode()
    assert 'value="LEFEVRE-BELANGER"' in page
    assert "PROV · Identité provisoire" in page


def test_tr03_digits_in_a_name_give_a_french_form_error_and_create_nothing(agent_client):
    response = agent_client.post(ADD_URL, identity_post(birth_name="DUP0NT"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "caractères interdits : « 0 »" in errors["birth_name"][0]
    assert not Patient.objects.exists()


def test_tr03_a_name_too_long_once_transliterated_gives_a_french_form_error(agent_client):
    response = agent_client.post(ADD_URL, identity_post(birth_name="Œ" * 60))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "dépasse 100 caractères une fois normalisé" in errors["birth_name"][0]
    assert not Patient.objects.exists()


def test_tr01_first_names_must_start_with_the_first_name(agent_client):
    response = agent_client.post(ADD_URL, identity_post(first_name="LOUIS", first_names="PIERRE LOUIS"))

    assert response.status_code == 200
    assert "doit commencer par le premier prénom" in response.context["adminform"].form.errors["first_names"][0]


def test_st05_locked_traits_are_read_only_with_the_reason_beside_them(agent_client):
    patient = retrieve_ins(PatientFactory(birth_name="NGUYEN", first_name="ZOE"))

    html = agent_client.get(change_url(patient)).content.decode()

    birth_name_input = html.split('name="birth_name"')[1].split(">")[0]
    assert "disabled" in birth_name_input
    assert LOCKED_TRAIT_REASON in html
    assert "déclasse d'abord l'identité (règle ST-06)" in html
    used_name_input = html.split('name="used_name"')[1].split(">")[0]
    assert "disabled" not in used_name_input
    assert "autofocus" in used_name_input
    # INS, status and attributes are shown, never as inputs.
    assert "275126322074974" in html
    for name in ("ins_matricule", "status", "doubtful", "fictitious"):
        assert f'name="{name}"' not in html
    assert "jamais saisie à la main (règle TR-11)" in html


def test_st05_a_locked_trait_posted_anyway_is_refused_with_a_form_error(agent_client):
    patient = retrieve_ins(PatientFactory(birth_name="NGUYEN", first_name="ZOE"))

    response = agent_client.post(change_url(patient), identity_post(patient, birth_name="NGUYEN-TRAN"))

    assert response.status_code == 200
    assert "verrouillés" in str(response.context["adminform"].form.non_field_errors())
    patient.refresh_from_db()
    assert patient.birth_name == "NGUYEN"


def test_additional_traits_of_a_locked_identity_stay_editable(agent_client):
    patient = retrieve_ins(PatientFactory(birth_name="NGUYEN", first_name="ZOE"))
    post = identity_post(patient, used_name="Tran", reason="Mariage")
    for strict in ("birth_name", "first_name", "first_names", "sex", "birth_date", "birthplace_cog"):
        post.pop(strict)  # the browser does not send disabled inputs

    response = agent_client.post(change_url(patient), post)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.used_name, patient.status) == ("TRAN", "RECUP")
    assert patient.history.latest().history_change_reason == "Mariage"


def test_status_ins_and_attributes_posted_by_hand_are_ignored(agent_client):
    patient = PatientFactory()

    agent_client.post(
        change_url(patient),
        identity_post(patient, status="QUAL", doubtful="on", ins_matricule="275126322074974", used_name="X"),
    )

    patient.refresh_from_db()
    assert (patient.status, patient.doubtful, patient.ins_matricule) == ("PROV", False, None)


def test_st07_editing_a_strict_trait_of_a_validated_identity_warns_and_returns_to_prov(agent_client):
    patient = check_passport(PatientFactory(birth_name="MARTIN"))

    # Issue 12: confirmed with a reason before saving (tests/patients/admin/test_issue12_st07_warning.py).
    post = identity_post(patient, birth_name="MARTINS", reason="Erreur de saisie", confirm_strict_change="on")
    response = agent_client.post(change_url(patient), post)

    patient.refresh_from_db()
    assert patient.status == "PROV"
    assert any("règle ST-07" in text for text in shown_messages(response))


def test_a_page_read_before_another_change_cannot_overwrite_it(agent_client, desk_agent):
    patient = PatientFactory(birth_name="MARTIN")
    stale = identity_post(patient, used_name="DURAND")
    agent_client.post(change_url(patient), identity_post(patient, used_name="LEROY"))

    response = agent_client.post(change_url(patient), stale)

    assert response.status_code == 200
    assert "modifiée par ailleurs" in str(response.context["adminform"].form.non_field_errors())
    patient.refresh_from_db()
    assert patient.used_name == "LEROY"


def test_future_birth_date_is_refused_in_french(agent_client):
    response = agent_client.post(ADD_URL, identity_post(birth_date=f"01/01/{date.today().year + 1}"))

    assert "ne peut pas être dans le futur" in response.context["adminform"].form.errors["birth_date"][0]


def test_auditor_sees_the_identity_without_any_save_or_action_button(auditor_client):
    patient = retrieve_ins(PatientFactory())

    html = auditor_client.get(change_url(patient)).content.decode()

    assert "RECUP · Identité récupérée" in html
    assert 'name="_save"' not in html
    assert "Vérifier une pièce d'identité" not in html
    assert "Déclasser l'identité" not in html
    assert "Historique" in html
    assert 'name="birth_name"' not in html


def test_auditor_cannot_post_a_change(auditor_client):
    patient = PatientFactory(birth_name="MARTIN")

    response = auditor_client.post(change_url(patient), identity_post(patient, birth_name="DURAND"))

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.birth_name == "MARTIN"


def test_auditor_has_no_add_button_and_cannot_add(auditor_client):
    html = auditor_client.get(reverse("admin:patients_patient_changelist")).content.decode()

    assert ADD_URL not in html
    assert auditor_client.get(ADD_URL).status_code == 403


def test_nobody_deletes_an_identity_from_the_screen(admin_client):
    patient = PatientFactory()

    assert admin_client.get(reverse("admin:patients_patient_delete", args=[patient.pk])).status_code == 403
