"""GET /fhir/Patient/{id} and /fhir/metadata: FR Core Patient, access log, merges, roles, media types (issue 13)."""

import pytest

from patients.models import Patient
from patients.records import PatientAccess
from patients.services import identifier_add, patient_merge
from tests.factories import PatientFactory, UserFactory, qualified_patient
from tests.fhir.conftest import fhir_get, token_client
from tests.patients.merge_world import authority, referent_user

pytestmark = pytest.mark.django_db


def read(client, patient: Patient, **extra):
    return fhir_get(client, f"/fhir/Patient/{patient.public_id}", **extra)


def test_read_answers_the_fr_core_patient_as_fhir_json(dpi, patient):
    response = read(dpi, patient)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "Patient"
    assert body["id"] == str(patient.public_id)
    assert body["birthDate"] == "1985-03-14"
    assert response["ETag"] == f'W/"{patient.version}"'


def test_qual_identity_read_carries_its_ins_validation_mode_and_dates(dpi):
    patient = qualified_patient(birth_name="DUPONT", first_name="MARIE")
    body = read(dpi, patient).json()
    assert {"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "275126322074974"}.items() <= body["identifier"][
        0
    ].items()
    (reliability,) = [e for e in body["extension"] if e["url"].endswith("fr-core-identity-reliability")]
    urls = [p["url"] for p in reliability["extension"]]
    assert urls == ["identityStatus", "methodCollection", "dateCollection", "validationDate", "validationMode"]
    assert reliability["extension"][-1]["valueCoding"]["code"] == "PA"


def test_read_lists_the_identifiers_of_other_systems(dpi, patient):
    ght = authority()
    ght.oid = "1.2.250.1.999.7"
    ght.save()
    identifier_add(actor=UserFactory(username="a"), patient=patient, authority="GHT-NORD", value="77001")
    identifiers = read(dpi, patient).json()["identifier"]
    assert {"use": "secondary", "system": "urn:oid:1.2.250.1.999.7", "value": "77001",
            "assigner": {"display": "CH Nord (GHT)"}} in identifiers  # fmt: skip


def test_aud03_each_read_is_logged_as_an_api_retrieve(dpi, patient):
    read(dpi, patient)
    read(dpi, patient)
    rows = PatientAccess.objects.filter(patient=patient)
    assert rows.count() == 2
    assert {(r.action, r.channel, r.user.username) for r in rows} == {("retrieve", "api", "fhir-dpi")}


def test_aud05_a_merged_identity_answers_with_its_replaced_by_link_and_the_survivor_with_replaces(dpi):
    survivor = PatientFactory(birth_name="MARTIN", first_name="ZOE")
    merged = PatientFactory(birth_name="MARTIN", first_name="ZOE")
    patient_merge(actor=referent_user(), survivor=survivor, merged=merged, reason="doublon")
    gone = read(dpi, merged)
    assert gone.status_code == 200
    assert gone.json()["active"] is False
    assert gone.json()["link"] == [{"other": {"reference": f"Patient/{survivor.public_id}"}, "type": "replaced-by"}]
    kept = read(dpi, survivor).json()
    assert kept["link"] == [{"other": {"reference": f"Patient/{merged.public_id}"}, "type": "replaces"}]


def test_unknown_or_malformed_id_is_a_404_operation_outcome(dpi):
    for url in ("/fhir/Patient/6f1c1f1e-0000-4000-8000-000000000000", "/fhir/Patient/not-a-uuid", "/fhir/Nothing"):
        response = fhir_get(dpi, url)
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
        assert response.json()["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("role", ["agent", "referent", "auditor", "dpi"])
def test_every_role_that_reads_identities_through_the_api_reads_them_through_fhir(client_for, patient, role):
    assert read(client_for(role), patient).status_code == 200


def test_an_account_without_a_role_gets_a_403_operation_outcome(patient):
    response = read(token_client(UserFactory(username="nobody")), patient)
    assert response.status_code == 403
    assert response.json()["issue"][0]["code"] == "forbidden"
    assert not PatientAccess.objects.exists()


def test_no_token_is_a_401_operation_outcome_with_www_authenticate(patient):
    from rest_framework.test import APIClient

    response = read(APIClient(), patient)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["issue"][0]["code"] == "login"


@pytest.mark.parametrize(
    ("accept", "query", "content_type"),
    [
        ("application/json", "", "application/json"),
        ("application/fhir+json", "", "application/fhir+json"),
        ("application/fhir+json; fhirVersion=4.0", "", "application/fhir+json"),
        ("text/html", "?_format=json", "application/fhir+json"),
        ("*/*", "?_format=application/fhir%2Bjson", "application/fhir+json"),
    ],
)
def test_json_is_served_as_asked_by_accept_or_format(dpi, patient, accept, query, content_type):
    response = fhir_get(dpi, f"/fhir/Patient/{patient.public_id}{query}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.parametrize(("accept", "query"), [("application/fhir+xml", ""), ("*/*", "?_format=xml")])
def test_xml_is_a_406_operation_outcome(dpi, patient, accept, query):
    response = fhir_get(dpi, f"/fhir/Patient/{patient.public_id}{query}", HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not PatientAccess.objects.exists()


def test_past_the_rate_the_answer_is_a_429_operation_outcome_with_retry_after(dpi, patient, settings):
    settings.API_THROTTLE_RATE = "2/min"
    assert [read(dpi, patient).status_code for _ in range(2)] == [200, 200]
    response = read(dpi, patient)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["issue"][0]["code"] == "throttled"


def test_other_methods_are_a_405_operation_outcome(dpi, patient):
    response = dpi.delete(f"/fhir/Patient/{patient.public_id}")
    assert response.status_code == 405
    assert response.json()["resourceType"] == "OperationOutcome"


def test_metadata_lists_exactly_read_search_type_the_search_parameters_and_match(client):
    response = fhir_get(client, "/fhir/metadata")
    assert response.status_code == 200
    (rest,) = response.json()["rest"]
    (resource,) = rest["resource"]
    assert resource["type"] == "Patient"
    assert [i["code"] for i in resource["interaction"]] == ["read", "search-type"]
    params = {p["name"]: p["type"] for p in resource["searchParam"]}
    assert params == {
        "_id": "token",
        "identifier": "token",
        "family": "string",
        "given": "string",
        "birthdate": "date",
        "gender": "token",
    }
    assert resource["operation"] == [
        {"name": "match", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-match"}
    ]
    assert response.json()["fhirVersion"] == "4.0.1"
