"""Every endpoint of the patients API with one valid request, shared by the matrix, schema and fuzz tests."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework.test import APIClient

from patients.models import Patient
from tests.factories import PatientFactory, check_passport


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # OpenAPI path template
    suffix: str | None  # None: not under a patient
    body: dict[str, Any] | None
    needs_if_match: bool = False
    make_patient: Callable[[], Patient] = PatientFactory

    def url(self, patient: Patient | None) -> str:
        if self.suffix is None:
            return self.path
        return f"/api/v1/patients/{patient.public_id}/{self.suffix}"

    def call(self, client: APIClient, patient: Patient | None, **kwargs: Any) -> Any:
        headers = {"HTTP_IF_MATCH": f'"{patient.version}"'} if self.needs_if_match and patient else {}
        headers.update(kwargs.pop("headers", {}))
        data = kwargs.pop("data", self.body)
        send = getattr(client, self.method.lower())
        if self.method == "GET":
            return send(self.url(patient), **headers)
        return send(self.url(patient), data, format=kwargs.pop("format", "json"), **headers, **kwargs)


def _validated_patient() -> Patient:
    return check_passport(PatientFactory())


NEW = {"birth_name": "NOUVEAU", "first_name": "PATIENT", "sex": "M", "birth_date": "1980-02-03"}

ENDPOINTS = [
    Endpoint("create", "POST", "/api/v1/patients/", None, NEW),
    Endpoint("search", "POST", "/api/v1/patients/search/", None, {"name": "martin"}),
    Endpoint("retrieve", "GET", "/api/v1/patients/{public_id}/", "", None),
    Endpoint("update", "PATCH", "/api/v1/patients/{public_id}/", "", {"used_name": "DURAND"}, needs_if_match=True),
    Endpoint(
        "validate_document",
        "POST",
        "/api/v1/patients/{public_id}/validate-document/",
        "validate-document/",
        {"document_type": "PA", "issuing_country": "FR"},
        needs_if_match=True,
    ),
    Endpoint(
        "attributes",
        "POST",
        "/api/v1/patients/{public_id}/attributes/",
        "attributes/",
        {"attribute": "HOMD", "operation": "set", "reason": "Homonyme probable"},
        needs_if_match=True,
    ),
    Endpoint(
        "downgrade",
        "POST",
        "/api/v1/patients/{public_id}/downgrade/",
        "downgrade/",
        {"withdraw_document": True, "reason": "Pièce douteuse"},
        needs_if_match=True,
        make_patient=_validated_patient,
    ),
    Endpoint("history", "GET", "/api/v1/patients/{public_id}/history/", "history/", None),
]
ENDPOINTS_BY_NAME = {e.name: e for e in ENDPOINTS}
