"""The CapabilityStatement: exactly what the FHIR endpoint supports (read, search-type, $match)."""

from typing import Any

from fhir_api import codes

SEARCH_PARAMS = [
    ("_id", "token", "The identity's public id."),
    ("identifier", "token", "INS (urn:oid:1.2.250.1.213.1.4.8|<matricule>, QUAL only), IPP or another system's."),
    ("family", "string", "Birth or used name (starts with; :exact compares the stored value)."),
    ("given", "string", "First name (starts with; :exact compares the stored value)."),
    ("birthdate", "date", "Birth date, with the prefixes eq, ne, lt, gt, le, ge."),
    ("gender", "token", "male | female | unknown."),
]


def _definition(name: str) -> str:
    """The base specification's SearchParameter (``_id`` is common to every resource)."""
    return f"http://hl7.org/fhir/SearchParameter/{'Resource-id' if name == '_id' else 'Patient-' + name}"


def capability_statement(*, base_url: str, software_version: str, date: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "Référentiel d'identités patient", "version": software_version},
        "implementation": {"description": "Référentiel d'identités patient (FR Core Patient)", "url": base_url},
        "fhirVersion": codes.FHIR_VERSION,
        "format": [codes.FHIR_JSON, "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "Authorization: Token <clé> (the REST API's token); the role must hold "
                    "patients.view_patient."
                },
                "resource": [
                    {
                        "type": "Patient",
                        "profile": codes.PROFILE_PATIENT,
                        "supportedProfile": [codes.PROFILE_PATIENT_INS],
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": name, "definition": _definition(name), "type": kind, "documentation": doc}
                            for name, kind, doc in SEARCH_PARAMS
                        ],
                        "operation": [{"name": "match", "definition": codes.MATCH_OPERATION}],
                    }
                ],
            }
        ],
    }
