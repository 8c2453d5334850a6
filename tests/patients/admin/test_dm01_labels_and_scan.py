"""RNIV DM-01 on the screens: the printed label and wristband, and the scan field of the creation form."""

from datetime import date

import pytest

from patients import roles
from patients.models import Patient, PatientAccess
from tests.factories import PatientFactory, qualified_patient
from tests.patients.datamatrix_decode import decode_svg
from tests.staff import staff_member

pytestmark = pytest.mark.django_db

SCAN = (
    "IS010000000000000000000000S1255081416802538S21.2.250.1.213.1.4.10S3MARIE-ANNE JEANNE\x1d"
    "S4D'ARTAGNAN-TEST\x1dS5FS614-08-1955S714118"
)
READ_URL = "/admin/patients/patient/datamatrix/lire/"


@pytest.fixture
def agent_client(client):
    client.force_login(staff_member(roles.AGENT, username="agent.dm"))
    return client


def test_dm01_label_of_a_qualified_identity_carries_its_ins_and_a_datamatrix_that_decodes(agent_client):
    patient = qualified_patient(birth_name="DUPONT", first_name="JEANNE", first_names="JEANNE MARIE", sex="F")
    page = agent_client.get(f"/admin/patients/patient/{patient.pk}/etiquette/").content.decode()
    assert "INS à scanner" in page
    assert "2 75 12 63 220 749 74" in page  # the matricule, grouped as on the carte Vitale
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" version="1.1"')
    svg = page[start : page.index("</svg>", start) + 6]
    decoded = decode_svg(svg)
    assert decoded.startswith(b"IS01" + b"0" * 22 + b"S1275126322074974S21.2.250.1.213.1.4.8\x1dS3JEANNE MARIE\x1d")
    assert "IPP" in page and patient.ipp in page
    assert PatientAccess.objects.filter(patient=patient, action="print", channel="screen").count() == 1


def test_dm01_label_of_a_provisional_identity_prints_no_ins_and_says_why(agent_client):
    patient = PatientFactory(birth_name="DURAND", first_name="PAUL")
    page = agent_client.get(f"/admin/patients/patient/{patient.pk}/etiquette/").content.decode()
    assert 'aria-label="Datamatrix INS"' not in page and "INS à scanner" not in page
    assert "l'identité n'est pas qualifiée (statut identité provisoire)" in page.replace("&#x27;", "'")


def test_dm01_wristband_shows_birth_name_first_name_birth_date_sex_and_ipp(agent_client):
    patient = PatientFactory(birth_name="DURAND", first_name="PAUL", sex="M", birth_date=date(1980, 3, 4))
    page = agent_client.get(f"/admin/patients/patient/{patient.pk}/bracelet/").content.decode()
    for text in ("DURAND", "PAUL", "04/03/1980", "Masculin", patient.ipp):
        assert text in page


def test_dm01_identity_page_links_to_label_and_wristband(agent_client):
    patient = PatientFactory()
    page = agent_client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert f"/admin/patients/patient/{patient.pk}/etiquette/" in page
    assert f"/admin/patients/patient/{patient.pk}/bracelet/" in page


def test_dm01_scan_read_answers_the_traits_to_fill(agent_client):
    answer = agent_client.post(READ_URL, {"text": SCAN})
    assert answer.status_code == 200
    assert answer.json()["fields"] == {
        "birth_name": "D'ARTAGNAN-TEST",
        "first_name": "MARIE-ANNE",
        "first_names": "MARIE-ANNE JEANNE",
        "sex": "F",
        "birth_date": "14/08/1955",
        "birthplace_cog": "14118",
    }
    assert "ne comptera qu'après vérification" in answer.json()["message"]


def test_dm01_scan_read_refuses_garbage_in_french_and_get(agent_client):
    answer = agent_client.post(READ_URL, {"text": "pas un datamatrix"})
    assert answer.status_code == 400
    assert "en-tête IS01" in answer.json()["error"]
    assert agent_client.get(READ_URL).status_code == 405


def test_dm01_scan_read_is_for_those_who_create_identities(client):
    client.force_login(staff_member(roles.AUDITOR, username="auditeur.dm"))
    assert client.post(READ_URL, {"text": SCAN}).status_code == 403


def _create(client, **overrides):
    data = {
        "datamatrix_scan": SCAN,
        "birth_name": "D'ARTAGNAN-TEST",
        "first_name": "MARIE-ANNE",
        "first_names": "MARIE-ANNE JEANNE",
        "sex": "F",
        "birth_date": "14/08/1955",
        "birthplace_cog": "14118",
        "reason": "",
        "_save": "Enregistrer",
        **overrides,
    }
    return client.post("/admin/patients/patient/add/", data)


def test_dm01_identity_created_from_the_scan_is_collected_by_barcode_and_stays_provisional(agent_client):
    response = _create(agent_client)
    assert response.status_code == 302, response.content.decode()[:2000]
    patient = Patient.objects.get(birth_name="D'ARTAGNAN-TEST")
    assert patient.collection_method == "CB"
    # The INS read counts as I only after an INSi verification.
    assert patient.status == "PROV" and not patient.ins_verified and patient.ins_matricule is None
    # Kept aside, to be compared with the INS that INSi returns.
    assert (patient.ins_read_matricule, patient.ins_read_oid) == ("255081416802538", "1.2.250.1.213.1.4.10")
    page = agent_client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert "INS lue sur un Datamatrix, non vérifiée" in page


def test_dm01_traits_changed_after_the_scan_are_typed_not_scanned(agent_client):
    assert _create(agent_client, first_names="MARIE-ANNE").status_code == 302
    patient = Patient.objects.get(birth_name="D'ARTAGNAN-TEST")
    assert patient.collection_method == "SM" and patient.ins_read_matricule == ""


def test_dm01_an_unreadable_scan_is_a_form_error_and_nothing_is_created(agent_client):
    response = _create(agent_client, datamatrix_scan="IS01 illisible")
    assert response.status_code == 200
    assert "un des champs S1 à S7 manque" in response.content.decode()
    assert not Patient.objects.exists()
