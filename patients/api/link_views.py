"""Thin views of issue 9: identifiers of other systems, merge and unmerge (AUD-05), the events feed."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.views import RegistryAPIView as PatientApiView
from identity_registry.api.views import validated
from identity_registry.database.routing import replica_reads
from identity_registry.exceptions import InvalidInput
from identity_registry.pagination import query_int
from patients import events, services
from patients.api import docs, http
from patients.api.http import ETAG_HEADER, IF_MATCH, error_responses
from patients.api.link_serializers import (
    AuthorityOutput,
    EventPageOutput,
    IdentifierAddInput,
    IdentifierRemoveInput,
    IdentifierWriteOutput,
    MergeInput,
    MergeOutput,
    UnmergeInput,
)
from patients.api.serializers import ExternalIdentifierOutput, PatientOutput
from patients.links import IdentifierAuthority
from patients.models import Patient

TAG = ["patients"]
EVENTS_TAG = ["events"]


@replica_reads  # issue 10: reference data, changed by administrators only
class AuthorityListView(PatientApiView):
    required_permissions = {"GET": "patients.view_identifierauthority"}

    @extend_schema(
        tags=TAG,
        operation_id="identifier_authorities_list",
        summary="The administered assigning authorities of external identifiers",
        description=docs.AUTHORITIES,
        responses={200: AuthorityOutput(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(AuthorityOutput(IdentifierAuthority.objects.all(), many=True).data)


class PatientIdentifiersView(PatientApiView):
    required_permissions = {"GET": "patients.view_patient", "POST": "patients.change_patient"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_identifiers_list",
        summary="Identifiers given to this identity by other systems",
        description=docs.IDENTIFIERS_LIST,
        parameters=[ETAG_HEADER],
        responses={200: ExternalIdentifierOutput(many=True), **error_responses(*http.READ_ERRORS)},
    )
    def get(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        identifiers = patient.external_identifiers.select_related("authority")
        return http.with_etag(Response(ExternalIdentifierOutput(identifiers, many=True).data), patient)

    @extend_schema(
        tags=TAG,
        operation_id="patients_identifiers_add",
        summary="Add an identifier of another system (unique per authority among active identities: else 409)",
        description=docs.IDENTIFIER_ADD,
        request=IdentifierAddInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={201: IdentifierWriteOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(IdentifierAddInput, request.data)
        result = services.identifier_add(actor=request.user, patient=patient, expected_version=version, **data)
        body = {
            "patient": PatientOutput(result.patient).data,
            "identifier": ExternalIdentifierOutput(result.identifier).data,
        }
        return http.with_etag(Response(body, status=status.HTTP_201_CREATED), result.patient)


class PatientIdentifierRemoveView(PatientApiView):
    required_permissions = {"POST": "patients.change_patient"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_identifiers_remove",
        summary="Remove an identifier of another system, with a reason",
        description=docs.IDENTIFIER_REMOVE,
        request=IdentifierRemoveInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PatientOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str, identifier_id: int) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(IdentifierRemoveInput, request.data)
        result = services.identifier_remove(
            actor=request.user, patient=patient, identifier=identifier_id, expected_version=version, **data
        )
        return http.with_etag(Response(PatientOutput(result.patient).data), result.patient)


class PatientMergeView(PatientApiView):
    # RNIV AUD-05: only referents merge.
    required_permissions = {"POST": "patients.merge_identity"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_merge",
        summary="Merge a duplicate into this identity (AUD-05); refused when their INS differ (ST-11)",
        description=docs.MERGE,
        request=MergeInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: MergeOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        survivor = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(MergeInput, request.data)
        duplicate = Patient.objects.filter(public_id=data["merged"]).first()
        if duplicate is None:
            raise InvalidInput("Identité à fusionner introuvable.", details={"merged": ["Aucune identité n'a cet id."]})
        result = services.patient_merge(
            actor=request.user, survivor=survivor, merged=duplicate, reason=data["reason"], expected_version=version
        )
        return http.with_etag(Response(MergeOutput(result).data), result.survivor)


class PatientUnmergeView(PatientApiView):
    required_permissions = {"POST": "patients.merge_identity"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_unmerge",
        summary="Undo the merge of this (merged) identity: both records as they were (AUD-05)",
        description=docs.UNMERGE,
        request=UnmergeInput,
        responses={200: MergeOutput, **error_responses(400, 401, 403, 404, 409, 415)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        merged = http.patient_or_404(public_id)
        data = validated(UnmergeInput, request.data)
        result = services.patient_unmerge(actor=request.user, merged=merged, reason=data["reason"])
        return http.with_etag(Response(MergeOutput(result).data), result.merged)


MAX_CURSOR = 2**62
AFTER = OpenApiParameter(
    "after",
    {"type": "integer", "minimum": 0},
    OpenApiParameter.QUERY,
    required=False,
    description="Your cursor; 0 or absent: from the start.",
)
LIMIT = OpenApiParameter(
    "limit", {"type": "integer", "minimum": 1}, OpenApiParameter.QUERY, required=False, description="1 to 500 (100)."
)


# Issue 10: a replica replays commits in order, so its feed is a gap-free prefix of the primary's.
@replica_reads
class EventFeedView(PatientApiView):
    required_permissions = {"GET": "patients.view_patientevent"}

    @extend_schema(
        tags=EVENTS_TAG,
        operation_id="events_list",
        summary="What changed, in commit order: poll with your cursor, every event comes exactly once",
        description=docs.EVENTS,
        parameters=[AFTER, LIMIT],
        responses={200: EventPageOutput, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        # Capped below the bigint limit: an absurd cursor reads as "after everything", never a database error.
        after = query_int(request, "after", minimum=0, maximum=MAX_CURSOR) or 0
        limit = query_int(request, "limit", minimum=1, maximum=500) or 100
        page = events.events_after(after=after, limit=limit)
        next_cursor = page[-1].seq if page else after
        return Response(EventPageOutput({"events": page, "next_cursor": next_cursor}).data)
