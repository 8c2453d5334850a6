"""POST /fhir/Patient/$match: the registry's duplicate scorer behind the FHIR operation (issue 13, ST-11)."""

from datetime import date

import pytest

from patients.records import PatientAccess
from tests.factories import PatientFactory, qualified_patient, retrieve_ins
from tests.fhir.conftest import fhir_post

pytestmark = pytest.mark.django_db
MATCH = "/fhir/Patient/$match"
GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade"


def submitted(*, family="D'ARTAGNAN", given=("JEAN-PIERRE",), birth_date="1985-03-14", gender="male", **more):
    patient = {"resourceType": "Patient", "name": [{"use": "official", "family": family, "given": list(given)}],
               "gender": gender, "birthDate": birth_date, **more}  # fmt: skip
    return patient


def parameters(resource, **options):
    params = [{"name": "resource", "resource": resource}]
    if "only_certain" in options:
        params.append({"name": "onlyCertainMatches", "valueBoolean": options["only_certain"]})
    if "count" in options:
        params.append({"name": "count", "valueInteger": options["count"]})
    return {"resourceType": "Parameters", "parameter": params}


def grade(entry) -> str:
    (ext,) = entry["search"]["extension"]
    assert ext["url"] == GRADE
    return ext["valueCode"]


@pytest.fixture
def stored(db):
    return PatientFactory(
        birth_name="D'ARTAGNAN", first_name="JEAN-PIERRE", first_names="JEAN-PIERRE LOUIS", sex="M",
        birth_date=date(1985, 3, 14), birthplace_cog="75056",
    )  # fmt: skip


def test_a_near_duplicate_returns_the_stored_identity_first_graded_probable_or_better(dpi, stored):
    PatientFactory(birth_name="DARTOIS", first_name="PAUL", sex="M", birth_date=date(1985, 3, 14))
    near = submitted(family="DARTAGNAN", given=["JEAN PIERRE"])  # no apostrophe, a space for the hyphen
    response = fhir_post(dpi, MATCH, parameters(near))
    assert response.status_code == 200
    body = response.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    first = body["entry"][0]
    assert first["resource"]["id"] == str(stored.public_id)
    assert grade(first) in {"probable", "certain"}
    assert 0 <= first["search"]["score"] <= 1
    assert first["search"]["mode"] == "match"


def test_a_typo_still_matches_best_first(dpi, stored):
    PatientFactory(birth_name="DARTAGNAN", first_name="LUC", sex="M", birth_date=date(1985, 3, 14))
    typo = submitted(family="DARTAGNAM", given=["JEAN-PIERRE"])
    entries = fhir_post(dpi, MATCH, parameters(typo)).json()["entry"]
    assert entries[0]["resource"]["id"] == str(stored.public_id)
    scores = [e["search"]["score"] for e in entries]
    assert scores == sorted(scores, reverse=True)


def test_day_and_month_swapped_are_in_the_block_as_on_create(dpi):
    stored = PatientFactory(birth_name="LE GALL", first_name="NOE", sex="M", birth_date=date(1985, 3, 4))
    entries = fhir_post(dpi, MATCH, parameters(submitted(family="LE GALL", given=["NOE"], birth_date="1985-04-03")))
    assert [e["resource"]["id"] for e in entries.json()["entry"]] == [str(stored.public_id)]
    assert grade(entries.json()["entry"][0]) in {"possible", "probable"}


def test_a_stranger_gets_an_empty_bundle(dpi, stored):
    response = fhir_post(dpi, MATCH, parameters(submitted(family="NGUYEN", given=["THI"], gender="female")))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 0
    assert body.get("entry", []) == []
    assert not PatientAccess.objects.exists()


def test_the_same_qualified_ins_is_a_certain_match_and_only_certain_matches_keep_it_alone(dpi):
    qualified = qualified_patient(birth_name="DUPONT", first_name="MARIE", sex="F", birth_date=date(1990, 7, 2))
    PatientFactory(birth_name="DUPONT", first_name="MARIE", sex="F", birth_date=date(1990, 7, 2))
    ins = {"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "275126322074974"}
    resource = submitted(family="DUPONT", given=["MARIE"], gender="female", birth_date="1990-07-02", identifier=[ins])
    everything = fhir_post(dpi, MATCH, parameters(resource)).json()["entry"]
    assert [grade(e) for e in everything] == ["certain", "probable"]
    certain = fhir_post(dpi, MATCH, parameters(resource, only_certain=True)).json()["entry"]
    assert [e["resource"]["id"] for e in certain] == [str(qualified.public_id)]
    assert certain[0]["search"]["score"] == 1.0


def test_st04_the_ins_of_an_identity_that_is_not_qual_never_makes_a_certain_match(dpi):
    retrieve_ins(PatientFactory(birth_name="DUPONT", first_name="MARIE", sex="F", birth_date=date(1990, 7, 2)))
    ins = {"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "275126322074974"}
    resource = submitted(family="DUPONT", given=["MARIE"], gender="female", birth_date="1990-07-02", identifier=[ins])
    assert fhir_post(dpi, MATCH, parameters(resource, only_certain=True)).json()["total"] == 0


def test_count_limits_the_results_and_each_returned_identity_is_logged(dpi, stored):
    PatientFactory(birth_name="D'ARTAGNAN", first_name="JEAN-PIERRE", sex="M", birth_date=date(1985, 3, 14))
    body = fhir_post(dpi, MATCH, parameters(submitted(), count=1)).json()
    assert len(body["entry"]) == 1
    assert PatientAccess.objects.filter(action="search").count() == 1


@pytest.mark.parametrize(
    ("body", "expression"),
    [
        ({"resourceType": "Parameters", "parameter": []}, ["resource"]),
        (parameters({"resourceType": "Observation"}), ["resource"]),
        (parameters(submitted(), count=0), ["count"]),
        (parameters(submitted(), only_certain="yes"), ["onlyCertainMatches"]),
        ({"resourceType": "Parameters", "parameter": [{"name": "limit", "valueInteger": 3}]}, ["limit"]),
        (parameters(submitted(birth_date="1985")), ["Patient.birthDate"]),
        (parameters(submitted(family="")), ["Patient.name.family"]),
        (parameters(submitted(given=[])), ["Patient.name.given"]),
        (parameters(submitted(gender="x")), ["Patient.gender"]),
        (parameters(submitted(family="D4RTAGNAN")), ["birth_name"]),
    ],
)
def test_bad_parameters_are_a_400_operation_outcome(dpi, body, expression):
    response = fhir_post(dpi, MATCH, body)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert expression in [issue.get("expression") for issue in response.json()["issue"]]


def test_a_bare_patient_or_other_json_is_a_400(dpi):
    assert fhir_post(dpi, MATCH, submitted()).status_code == 400
    assert fhir_post(dpi, MATCH, [1, 2]).status_code == 400
    assert fhir_post(dpi, MATCH, "{not json").status_code == 400


def test_a_body_that_is_not_json_is_a_415_operation_outcome(dpi):
    response = fhir_post(dpi, MATCH, "family=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["issue"][0]["code"] == "not-supported"


def test_plain_application_json_is_accepted_too(dpi, stored):
    response = fhir_post(dpi, MATCH, parameters(submitted()), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["entry"][0]["resource"]["id"] == str(stored.public_id)
