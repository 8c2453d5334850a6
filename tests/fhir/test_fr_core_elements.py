"""Each FR Core element of the Patient, checked against INTEROP.md, one test per element (issue 13).

The expected URLs, systems and codes are written out here as INTEROP.md gives them, never read from
``fhir_api.codes``: a typo in the product's constants fails these tests. Every resource is also parsed with
the R4 models of fhir.resources.
"""

from datetime import date

import pytest

from fhir_api.mapping import patient_resource
from fhir_api.selectors import OtherIdentifier, PatientFacts
from patients.models import Patient
from tests.fhir.conftest import r4

IPP_SYSTEM = "urn:oid:1.2.3.4.5"
FR_CORE = "https://hl7.fr/ig/fhir/core"


def identity(**fields) -> Patient:
    base = {
        "ipp": "10000008",
        "birth_name": "D'ARTAGNAN",
        "first_name": "MARIE-ANNE",
        "first_names": "MARIE-ANNE JEANNE",
        "sex": "F",
        "birth_date": date(1955, 8, 14),
        "birthplace_cog": "14118",
        "status": "PROV",
        "collection_method": "SM",
    }
    return Patient(**{**base, **fields})


def qualified(oid: str = "1.2.250.1.213.1.4.8", matricule: str = "255081416802538") -> Patient:
    return identity(status="QUAL", ins_verified=True, document_checked=True, ins_matricule=matricule, ins_oid=oid)


def emit(patient: Patient, **facts) -> dict:
    resource = patient_resource(PatientFacts(patient=patient, **facts), ipp_system=IPP_SYSTEM)
    r4(resource)
    return resource


def reliability(resource: dict) -> list[dict]:
    (ext,) = [
        e for e in resource["extension"] if e["url"] == f"{FR_CORE}/StructureDefinition/fr-core-identity-reliability"
    ]
    return ext["extension"]


def ins_identifiers(resource: dict) -> list[dict]:
    return [i for i in resource["identifier"] if i.get("system", "").startswith("urn:oid:1.2.250.1.213.1.4.")]


def test_profiles_are_fr_core_patient_and_fr_core_patient_ins_for_a_qual_identity():
    assert emit(identity())["meta"]["profile"] == [f"{FR_CORE}/StructureDefinition/fr-core-patient"]
    assert emit(qualified())["meta"]["profile"] == [
        f"{FR_CORE}/StructureDefinition/fr-core-patient",
        f"{FR_CORE}/StructureDefinition/fr-core-patient-ins",
    ]


@pytest.mark.parametrize(
    ("oid", "type_code", "use"),
    [
        ("1.2.250.1.213.1.4.8", "INS-NIR", "official"),
        ("1.2.250.1.213.1.4.9", "INS-NIA", "temp"),
        ("1.2.250.1.213.1.4.10", "INS-NIR-TEST", "official"),
        ("1.2.250.1.213.1.4.11", "INS-NIR-DEMO", "official"),
    ],
)
def test_ins_identifier_system_is_the_oid_urn_with_the_fr_core_v2_0203_type(oid, type_code, use):
    (ins,) = ins_identifiers(emit(qualified(oid=oid)))
    assert ins["system"] == f"urn:oid:{oid}"
    assert ins["value"] == "255081416802538"
    assert ins["use"] == use
    assert ins["type"]["coding"] == [{"system": f"{FR_CORE}/CodeSystem/fr-core-cs-v2-0203", "code": type_code}]


@pytest.mark.parametrize("status", ["PROV", "RECUP", "VALI"])
def test_st04_the_ins_is_emitted_only_for_a_qual_identity(status):
    patient = identity(status=status, ins_matricule="255081416802538", ins_oid="1.2.250.1.213.1.4.8")
    resource = emit(patient)
    assert ins_identifiers(resource) == []
    assert "255081416802538" not in str(resource)


def test_ipp_identifier_has_the_pi_type_and_the_configured_system():
    (ipp,) = [i for i in emit(identity())["identifier"] if i["system"] == IPP_SYSTEM]
    assert ipp["value"] == "10000008"
    assert ipp["type"]["coding"] == [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PI"}]


def test_other_systems_identifiers_carry_their_authority_oid_and_label():
    others = (
        OtherIdentifier("GHT-NORD", "CH Nord (GHT)", "1.2.250.1.999.1", "77001"),
        OtherIdentifier("LABO", "Laboratoire", "", "A12"),
    )
    identifiers = emit(identity(), others=others)["identifier"]
    assert {"use": "secondary", "system": "urn:oid:1.2.250.1.999.1", "value": "77001",
            "assigner": {"display": "CH Nord (GHT)"}} in identifiers  # fmt: skip
    assert {"use": "secondary", "value": "A12", "assigner": {"display": "Laboratoire"}} in identifiers


def test_official_name_is_the_birth_name_first_first_name_and_birth_list_given_name_extension():
    (official,) = [n for n in emit(identity())["name"] if n["use"] == "official"]
    assert official["family"] == "D'ARTAGNAN"
    assert official["given"] == ["MARIE-ANNE"]
    assert official["extension"] == [
        {
            "url": f"{FR_CORE}/StructureDefinition/fr-core-patient-birth-list-given-name",
            "valueString": "MARIE-ANNE JEANNE",
        }
    ]


def test_usual_name_is_the_used_name_and_used_first_name_and_absent_without_them():
    names = emit(identity(used_name="MARTIN", used_first_name="MARIANNE"))["name"]
    assert {"use": "usual", "family": "MARTIN", "given": ["MARIANNE"]} in names
    assert [n["use"] for n in emit(identity())["name"]] == ["official"]


@pytest.mark.parametrize(("sex", "gender"), [("M", "male"), ("F", "female"), ("U", "unknown")])
def test_gender_codes(sex, gender):
    assert emit(identity(sex=sex))["gender"] == gender


def test_birth_date_is_the_iso_date():
    assert emit(identity())["birthDate"] == "1955-08-14"


def test_birthplace_extension_carries_the_insee_code_extension():
    (place,) = [e for e in emit(identity())["extension"] if e["url"].endswith("patient-birthPlace")]
    assert place["url"] == "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
    assert place["valueAddress"]["extension"] == [
        {"url": f"{FR_CORE}/StructureDefinition/fr-core-address-insee-code", "valueCoding": {"code": "14118"}}
    ]
    assert not [e for e in emit(identity(birthplace_cog=""))["extension"] if e["url"].endswith("patient-birthPlace")]


def test_identity_reliability_extension_url():
    urls = [e["url"] for e in emit(identity())["extension"]]
    assert f"{FR_CORE}/StructureDefinition/fr-core-identity-reliability" in urls


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "PROV"}, "PROV"),
        ({"status": "RECUP", "ins_verified": True, "ins_matricule": "255081416802538",
          "ins_oid": "1.2.250.1.213.1.4.8"}, "RECUP"),
        ({"status": "VALI", "document_checked": True}, "VALI"),
        ({"status": "QUAL", "ins_verified": True, "document_checked": True, "ins_matricule": "255081416802538",
          "ins_oid": "1.2.250.1.213.1.4.8"}, "QUAL"),
    ],
)  # fmt: skip
def test_identity_status_code_and_codesystem(fields, code):
    (status,) = [p for p in reliability(emit(identity(**fields))) if p["url"] == "identityStatus"]
    assert status["valueCoding"]["system"] == f"{FR_CORE}/CodeSystem/fr-core-cs-identity-status"
    assert status["valueCoding"]["code"] == code


def test_attributes_are_comment_codings_of_the_status_comment_codesystem_fict_never_ficti():
    patient = identity(fictitious=True, homonym_detected=True, homonym_confirmed=True)
    comments = [p["valueCoding"] for p in reliability(emit(patient)) if p["url"] == "comment"]
    assert [c["code"] for c in comments] == ["FICT", "HOMD", "HOMA"]
    assert {c["system"] for c in comments} == {f"{FR_CORE}/CodeSystem/fr-core-cs-identity-status-comment"}
    doubtful = [p["valueCoding"]["code"] for p in reliability(emit(identity(doubtful=True))) if p["url"] == "comment"]
    assert doubtful == ["DOUT"]


@pytest.mark.parametrize("method", ["SM", "CV", "INSI", "CB", "RFID", "AV"])
def test_method_collection_code_and_codesystem(method):
    (part,) = [p for p in reliability(emit(identity(collection_method=method))) if p["url"] == "methodCollection"]
    assert part["valueCoding"] == {"system": f"{FR_CORE}/CodeSystem/fr-core-cs-method-collection", "code": method}


@pytest.mark.parametrize("mode", ["CN", "PA", "CS", "eCN", "IN", "AV", "LECV", "AN", "LEP", "CC", "ANCV"])
def test_validation_mode_code_and_codesystem_with_the_validation_date(mode):
    patient = identity(status="VALI", document_checked=True)
    parts = reliability(emit(patient, validation_mode=mode, validation_date=date(2024, 5, 2)))
    (part,) = [p for p in parts if p["url"] == "validationMode"]
    assert part["valueCoding"] == {"system": f"{FR_CORE}/CodeSystem/fr-core-cs-mode-validation-identity", "code": mode}
    assert {"url": "validationDate", "valueDate": "2024-05-02"} in parts


def test_a_document_that_never_validates_is_no_validation_mode():
    parts = reliability(emit(identity(), validation_mode="PERMIS"))
    assert [p for p in parts if p["url"] == "validationMode"] == []


def test_collection_date_is_the_day_the_ins_was_retrieved():
    parts = reliability(emit(qualified(), collection_date=date(2024, 5, 2)))
    assert {"url": "dateCollection", "valueDate": "2024-05-02"} in parts


def test_aud05_merge_links_are_replaced_by_and_replaces():
    merged = emit(identity(is_active=False), replaced_by="b6f0ad1e-0000-4000-8000-000000000001")
    assert merged["active"] is False
    assert merged["link"] == [
        {"other": {"reference": "Patient/b6f0ad1e-0000-4000-8000-000000000001"}, "type": "replaced-by"}
    ]
    survivor = emit(identity(), replaces=("b6f0ad1e-0000-4000-8000-000000000002",))
    assert survivor["link"] == [
        {"other": {"reference": "Patient/b6f0ad1e-0000-4000-8000-000000000002"}, "type": "replaces"}
    ]
    assert "link" not in emit(identity())
