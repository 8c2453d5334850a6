"""An identity as an FR Core Patient (FHIR R4), a plain dict (pure: no queries, no settings).

Every URL, system and code comes from ``fhir_api.codes`` (INTEROP.md).
"""

from typing import Any

from fhir_api import codes
from fhir_api.selectors import OtherIdentifier, PatientFacts
from patients.models import Patient
from patients.status import ATTRIBUTE_LABELS, STATUS_LABELS, Attribute, Status, ins_shareable

ATTRIBUTE_ORDER = (Attribute.DOUT, Attribute.FICT, Attribute.HOMD, Attribute.HOMA)


def patient_resource(facts: PatientFacts, *, ipp_system: str) -> dict[str, Any]:
    """The FR Core Patient of one identity; the INS only when the identity is QUAL (RNIV ST-04)."""
    patient = facts.patient
    shares_ins = _shares_ins(patient)
    profiles = [codes.PROFILE_PATIENT, *([codes.PROFILE_PATIENT_INS] if shares_ins else [])]
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.public_id),
        "meta": _meta(patient, profiles),
        "extension": [*_birth_place(patient), _reliability(facts)],
        "identifier": [*_ins(patient, shares_ins), _ipp(patient, ipp_system), *map(_other, facts.others)],
        "active": patient.is_active,
        "name": _names(patient),
        "gender": codes.GENDERS[patient.sex],
        "birthDate": patient.birth_date.isoformat(),
    }
    links = _links(facts)
    if links:
        resource["link"] = links
    return resource


def _meta(patient: Patient, profiles: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"versionId": str(patient.version)}
    if patient.updated_at is not None:
        meta["lastUpdated"] = patient.updated_at.isoformat()
    return {**meta, "profile": profiles}


def _shares_ins(patient: Patient) -> bool:
    return bool(ins_shareable(patient.status) and patient.ins_matricule and patient.ins_oid in codes.INS_TYPES)


def _coding(system: str, code: str, display: str = "") -> dict[str, str]:
    return {"system": system, "code": code, **({"display": display} if display else {})}


def _ins(patient: Patient, shares_ins: bool) -> list[dict[str, Any]]:
    # RNIV ST-04: only a QUAL identity's INS may be exchanged (INTEROP.md: fr-core-patient-ins).
    if not shares_ins:
        return []
    oid = patient.ins_oid
    return [
        {
            "use": codes.INS_USES[oid],
            "type": {"coding": [_coding(codes.IDENTIFIER_TYPE_SYSTEM, codes.INS_TYPES[oid])]},
            "system": f"urn:oid:{oid}",
            "value": patient.ins_matricule,
        }
    ]


def _ipp(patient: Patient, ipp_system: str) -> dict[str, Any]:
    return {
        "use": "usual",
        "type": {"coding": [_coding(codes.V2_0203, codes.PATIENT_INTERNAL)]},
        "system": ipp_system,
        "value": patient.ipp,
    }


def _other(identifier: OtherIdentifier) -> dict[str, Any]:
    """Another system's identifier: its system is the authority's OID when the authority has one."""
    row: dict[str, Any] = {"use": "secondary"}
    if identifier.authority_oid:
        row["system"] = f"urn:oid:{identifier.authority_oid}"
    row["value"] = identifier.value
    row["assigner"] = {"display": identifier.authority_label}
    return row


def _names(patient: Patient) -> list[dict[str, Any]]:
    official: dict[str, Any] = {
        "extension": [{"url": codes.EXT_BIRTH_LIST_GIVEN_NAME, "valueString": patient.first_names}],
        "use": "official",
        "family": patient.birth_name,
        "given": [patient.first_name],
    }
    names = [official]
    if patient.used_name or patient.used_first_name:
        usual: dict[str, Any] = {"use": "usual"}
        if patient.used_name:
            usual["family"] = patient.used_name
        if patient.used_first_name:
            usual["given"] = [patient.used_first_name]
        names.append(usual)
    return names


def _birth_place(patient: Patient) -> list[dict[str, Any]]:
    if not patient.birthplace_cog:
        return []
    insee = {"url": codes.EXT_INSEE_CODE, "valueCoding": {"code": patient.birthplace_cog}}
    return [{"url": codes.EXT_BIRTH_PLACE, "valueAddress": {"extension": [insee]}}]


def _reliability(facts: PatientFacts) -> dict[str, Any]:
    """fr-core-identity-reliability: status, attributes, how the identity was collected and validated."""
    patient = facts.patient
    status = Status(patient.status)
    parts: list[dict[str, Any]] = [
        {"url": "identityStatus", "valueCoding": _coding(codes.STATUS_SYSTEM, status.value, STATUS_LABELS[status])}
    ]
    for attribute in ATTRIBUTE_ORDER:
        if attribute in patient.attributes:
            coding = _coding(codes.ATTRIBUTE_SYSTEM, attribute.value, ATTRIBUTE_LABELS[attribute])
            parts.append({"url": "comment", "valueCoding": coding})
    parts.append(
        {"url": "methodCollection", "valueCoding": _coding(codes.METHOD_COLLECTION_SYSTEM, patient.collection_method)}
    )
    if facts.collection_date is not None:
        parts.append({"url": "dateCollection", "valueDate": facts.collection_date.isoformat()})
    if facts.validation_date is not None:
        parts.append({"url": "validationDate", "valueDate": facts.validation_date.isoformat()})
    if facts.validation_mode in codes.VALIDATION_MODES:
        parts.append(
            {"url": "validationMode", "valueCoding": _coding(codes.VALIDATION_MODE_SYSTEM, facts.validation_mode)}
        )
    return {"url": codes.EXT_IDENTITY_RELIABILITY, "extension": parts}


def _links(facts: PatientFacts) -> list[dict[str, Any]]:
    """AUD-05: a merged identity points to its survivor (replaced-by); the survivor lists what it replaces."""
    links = []
    if facts.replaced_by:
        links.append({"other": {"reference": f"Patient/{facts.replaced_by}"}, "type": "replaced-by"})
    for public_id in facts.replaces:
        links.append({"other": {"reference": f"Patient/{public_id}"}, "type": "replaces"})
    return links
