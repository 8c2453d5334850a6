"""Shared plumbing of the consent API views: the consent wording of the errors, and the patient filter."""

from typing import Any

from consent.api.serializers import PatientFilter
from identity_registry.api.docs import ErrorDocs
from identity_registry.api.views import RegistryAPIView, validated
from identity_registry.exceptions import InvalidInput
from patients.api.http import patient_or_404
from patients.models import Patient

errors = ErrorDocs(
    {
        400: "Invalid input (a bad field, an unknown patient, professional or episode); `details` names the field.",
        403: "The user's role lacks the permission for this method.",
        404: "Nothing has this id (in the path, or the `patient` filter).",
        409: "Refused by a rule; `code` is the rule ID (e.g. PRO-01, CONS-01, CONS-03, CONS-06).",
    }
)


EMPTY_PATIENT_FILTER = "Le filtre « patient » est vide : donnez l'identifiant public (UUID) ou retirez le filtre."


class ConsentAPIView(RegistryAPIView):
    permission_message = "Vous n'avez pas le droit d'effectuer cette action."


def patient_from_query(request: Any) -> Patient | None:
    """The ``?patient=<public_id>`` filter; an unknown patient is a 404, an empty one a 400 (issue 8 item 8)."""
    raw = request.query_params.get("patient")
    if raw is not None and not raw.strip():
        raise InvalidInput(EMPTY_PATIENT_FILTER, details={"patient": [EMPTY_PATIENT_FILTER]})
    params = validated(PatientFilter, request.query_params)
    if not params.get("patient"):
        return None
    return patient_or_404(params["patient"], active_only=True)
