"""Duplicates in the API: match traits against the registry before creating (RNIV ST-11), nothing written."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.views import RegistryAPIView as PatientApiView
from patients.api.duplicate_serializers import MatchInput, MatchOutput, candidate_data
from patients.api.http import error_responses
from patients.audit import patient_record_access
from patients.duplicates.selectors import duplicate_candidates
from patients.records import PatientAccess
from patients.services.identity import clean_traits

TAG = ["patients"]


class PatientMatchView(PatientApiView):
    required_permissions = {"POST": "patients.view_patient"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_match",
        summary="Find the identities the given traits may duplicate (nothing is written)",
        description="ST-11: call before creating. Candidates best first, each score explained trait by trait.",
        request=MatchInput,
        responses={200: MatchOutput, **error_responses(400, 401, 403, 415)},
    )
    def post(self, request: Request) -> Response:
        serializer = MatchInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = dict(serializer.validated_data)
        # As patient_create does (TR-01): no first names given means the first name alone, checked as such.
        given["first_names"] = given.get("first_names") or given["first_name"]
        values, _ = clean_traits(given)
        candidates = duplicate_candidates(values=values)
        patient_record_access(
            actor=request.user, patients=[c.patient for c in candidates], action=PatientAccess.Action.SEARCH
        )
        return Response(MatchOutput({"candidates": [candidate_data(c) for c in candidates]}).data)
