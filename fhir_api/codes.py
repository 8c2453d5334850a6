"""The FHIR codes, systems and URLs the registry emits, all from INTEROP.md (HL7 France FR Core, R4).

Other systems recognise these values as they are: never invent one (INTEROP.md).
"""

from patients.ins import OID_NIA, OID_NIR, OID_NIR_DEMO, OID_NIR_TEST

FHIR_VERSION = "4.0.1"
FHIR_JSON = "application/fhir+json"

FR_CORE = "https://hl7.fr/ig/fhir/core"
PROFILE_PATIENT = f"{FR_CORE}/StructureDefinition/fr-core-patient"
PROFILE_PATIENT_INS = f"{FR_CORE}/StructureDefinition/fr-core-patient-ins"

# Identifier types of the INS (FR Core fr-core-cs-v2-0203), by OID.
IDENTIFIER_TYPE_SYSTEM = f"{FR_CORE}/CodeSystem/fr-core-cs-v2-0203"
INS_TYPES = {
    OID_NIR: "INS-NIR",
    OID_NIA: "INS-NIA",
    OID_NIR_TEST: "INS-NIR-TEST",
    OID_NIR_DEMO: "INS-NIR-DEMO",
}
# INTEROP.md: INS-NIR is `official`, INS-NIA `temp`; the TEST and DEMO matricules are NIRs too.
INS_USES = {OID_NIR: "official", OID_NIA: "temp", OID_NIR_TEST: "official", OID_NIR_DEMO: "official"}
# The local patient identifier (the IPP): HL7 v2 table 0203, code PI.
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
PATIENT_INTERNAL = "PI"

EXT_BIRTH_LIST_GIVEN_NAME = f"{FR_CORE}/StructureDefinition/fr-core-patient-birth-list-given-name"
EXT_BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
EXT_INSEE_CODE = f"{FR_CORE}/StructureDefinition/fr-core-address-insee-code"
EXT_IDENTITY_RELIABILITY = f"{FR_CORE}/StructureDefinition/fr-core-identity-reliability"

STATUS_SYSTEM = f"{FR_CORE}/CodeSystem/fr-core-cs-identity-status"
ATTRIBUTE_SYSTEM = f"{FR_CORE}/CodeSystem/fr-core-cs-identity-status-comment"
METHOD_COLLECTION_SYSTEM = f"{FR_CORE}/CodeSystem/fr-core-cs-method-collection"
VALIDATION_MODE_SYSTEM = f"{FR_CORE}/CodeSystem/fr-core-cs-mode-validation-identity"
# The validation modes of INTEROP.md (the high-trust documents; the others never validate, ID-02).
VALIDATION_MODES = frozenset({"CN", "PA", "CS", "eCN", "IN", "AV", "LECV", "AN", "LEP", "CC", "ANCV"})

MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade"
MATCH_OPERATION = "http://hl7.org/fhir/OperationDefinition/Patient-match"

GENDERS = {"M": "male", "F": "female", "U": "unknown"}
