"""Thin views of the patients API: check the permission, validate input, call one service, shape output."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.serializers import ErrorOutput
from identity_registry.api.views import RegistryAPIView, validated
from identity_registry.database.routing import replica_reads
from patients import selectors, services
from patients.api import docs, http
from patients.api.duplicate_serializers import (
    PatientWriteWithDuplicatesOutput,
    search_match_data,
    suspected_duplicates_data,
)
from patients.api.http import ETAG_HEADER, IDEMPOTENCY_KEY, IF_MATCH, REPLAYED_HEADER, error_responses
from patients.api.idempotency import idempotency_key, idempotent_call, request_fingerprint
from patients.api.serializers import (
    AttributeInput,
    DocumentOutput,
    DocumentWriteOutput,
    DowngradeInput,
    HistoryEntryOutput,
    PatientCreateInput,
    PatientOutput,
    PatientSearchInput,
    PatientUpdateInput,
    PatientWriteOutput,
    ValidateDocumentInput,
)
from patients.audit import patient_record_access
from patients.duplicates.services import patient_create_checking_duplicates, patient_update_checking_duplicates
from patients.inline_identifiers import with_identifiers
from patients.records import PatientAccess
from patients.search.selectors import patient_tolerant_search
from patients.traits import search_key

TAG = ["patients"]


def _written(result: services.IdentityResult, *, status_code: int = status.HTTP_200_OK) -> Response:
    response = Response(PatientWriteOutput.represent(result), status=status_code)
    return http.with_etag(response, result.patient)


class PatientCreateView(RegistryAPIView):
    required_permissions = {"POST": "patients.add_patient"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_create",
        description=docs.CREATE,
        summary="Create a provisional identity",
        request=PatientCreateInput,
        parameters=[IDEMPOTENCY_KEY, ETAG_HEADER, REPLAYED_HEADER],
        responses={201: PatientWriteWithDuplicatesOutput, **error_responses(400, 401, 403, 415, 422)},
    )
    def post(self, request: Request) -> Response:
        data = validated(PatientCreateInput, request.data)
        key = idempotency_key(request.headers)

        def produce(create: Callable = patient_create_checking_duplicates) -> tuple[int, Any]:
            # RNIV ST-11: the creation records the duplicates it may be; the response lists them.
            result, pairs = create(actor=request.user, **data)
            body = PatientWriteOutput.represent(result)
            return status.HTTP_201_CREATED, {
                **body,
                "suspected_duplicates": suspected_duplicates_data(result.patient, pairs),
            }

        if key is None:
            response_status, body = produce()
            replayed = False
        else:
            stored = idempotent_call(
                user=request.user,
                scope="patient_create",
                key=key,
                fingerprint=request_fingerprint(request.data),
                # Inside idempotent_call's transaction: the service's body, without a savepoint (issue 10).
                produce=lambda: produce(patient_create_checking_duplicates.__wrapped__),
            )
            response_status, body, replayed = stored.status, stored.body, stored.replayed
        response = Response(body, status=response_status)
        response["ETag"] = f'"{body["patient"]["version"]}"'
        response["Location"] = f"{request.path}{body['patient']['id']}/"
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


# Issue 10: a search tolerates replication lag (README "Scaling out"); its access log is written on the primary.
@replica_reads
class PatientSearchView(RegistryAPIView):
    required_permissions = {"POST": "patients.view_patient"}
    pagination_class = http.PatientCursorPagination

    @extend_schema(
        tags=TAG,
        operation_id="patients_search",
        summary="Search identities (criteria in the body, never in the URL)",
        description=docs.SEARCH,
        request=PatientSearchInput,
        responses={200: PatientOutput(many=True), **error_responses(400, 401, 403, 415)},
    )
    def post(self, request: Request) -> Response:
        criteria = validated(PatientSearchInput, request.data)
        if criteria.get("q", "").strip():
            return _tolerant_search(request, criteria)
        queryset = with_identifiers(selectors.patient_search(**criteria))
        paginator = self.pagination_class()
        if search_key(criteria.get("name", "")):
            # Issue 10: by relevance (exact name before a longer one), not by id.
            name, first_name = criteria["name"], criteria.get("first_name", "")
            queryset = selectors.patient_ranked(queryset, name=name, first_name=first_name)
            paginator = http.PatientRankedCursorPagination(page_ids=_names_page_ids(criteria))
        page = paginator.paginate_queryset(queryset, request, view=self)
        # RNIV AUD-03: a search result shows the identity, so it is a read.
        patient_record_access(actor=request.user, patients=page, action=PatientAccess.Action.SEARCH)
        return paginator.get_paginated_response(PatientOutput.represent_many(page))


def _names_page_ids(criteria: dict) -> Any:
    """A page of a search by name (and first name) alone, found from the indexes (issue 10, PostgreSQL)."""
    others = {k: v for k, v in criteria.items() if k not in ("name", "first_name") and v}
    if others or connection.vendor != "postgresql":
        return None
    return partial(selectors.patient_ranked_page_ids, name=criteria["name"], first_name=criteria.get("first_name", ""))


def _tolerant_search(request: Request, criteria: dict) -> Response:
    """``q`` forgives typing (TR-05, issue 9): ranked results, each with ``match`` saying why (codes)."""
    query, hits = patient_tolerant_search(text=criteria.pop("q"))
    allowed = selectors.patient_search(**criteria).filter(pk__in=[hit.patient_id for hit in hits])
    patients = with_identifiers(allowed).in_bulk()
    ranked = [(patients[hit.patient_id], hit.ranking) for hit in hits if hit.patient_id in patients]
    patient_record_access(actor=request.user, patients=[p for p, _ in ranked], action=PatientAccess.Action.SEARCH)
    results = [{**PatientOutput.represent(p), "match": search_match_data(r)} for p, r in ranked]
    return Response({"next": None, "previous": None, "results": results, "not_understood": query.invalid})


class PatientDetailView(RegistryAPIView):
    required_permissions = {"GET": "patients.view_patient", "PATCH": "patients.change_patient"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_retrieve",
        description=docs.RETRIEVE,
        summary="Read an identity",
        parameters=[ETAG_HEADER],
        responses={
            200: PatientOutput,
            308: OpenApiResponse(ErrorOutput, description="Merged identity: `Location` is the survivor."),
            **error_responses(*http.READ_ERRORS),
        },
    )
    def get(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        redirect = http.merged_redirect(request, patient)
        if redirect is not None:
            return redirect
        patient_record_access(actor=request.user, patients=[patient], action=PatientAccess.Action.RETRIEVE)
        return http.with_etag(Response(PatientOutput.represent(patient)), patient)

    @extend_schema(
        tags=TAG,
        operation_id="patients_update_traits",
        description=docs.UPDATE_TRAITS,
        summary="Change traits (ST-05 locked traits, ST-07 strict edit withdraws validation)",
        request=PatientUpdateInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PatientWriteWithDuplicatesOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def patch(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        changes = validated(PatientUpdateInput, request.data, partial=True)
        reason = changes.pop("reason", "")
        # RNIV ST-11: a strict-trait change records the duplicates it may now be; the response lists them.
        result, pairs = patient_update_checking_duplicates(
            actor=request.user, patient=patient, changes=changes, reason=reason, expected_version=version
        )
        body = {
            **PatientWriteOutput(result).data,
            "suspected_duplicates": suspected_duplicates_data(result.patient, pairs),
        }
        return http.with_etag(Response(body), result.patient)


class PatientValidateDocumentView(RegistryAPIView):
    # RNIV ST-09: recording a document is reserved to trained users holding this permission.
    required_permissions = {"POST": "patients.add_identitydocument"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_validate_document",
        description=docs.VALIDATE_DOCUMENT,
        summary="Record a checked identity document (ID-01 to ID-08); a high-trust one validates",
        request=ValidateDocumentInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: DocumentWriteOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(ValidateDocumentInput, request.data)
        result = services.identity_validate_document(
            actor=request.user, patient=patient, expected_version=version, **data
        )
        warnings = [] if result.verdict.can_validate else [result.verdict.reason]
        body = {
            "patient": PatientOutput(result.patient).data,
            "document": DocumentOutput(result.document).data,
            "warnings": warnings,
            "changed_fields": result.changed_fields,
        }
        return http.with_etag(Response(body), result.patient)


class PatientAttributesView(RegistryAPIView):
    required_permissions = {"POST": "patients.set_attribute"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_attributes",
        description=docs.ATTRIBUTES,
        summary="Set or clear DOUT, FICT, HOMD or HOMA with a reason (ST-02, ST-03)",
        request=AttributeInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PatientWriteOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(AttributeInput, request.data)
        service = services.identity_set_attribute if data["operation"] == "set" else services.identity_clear_attribute
        result = service(
            actor=request.user,
            patient=patient,
            attribute=data["attribute"],
            reason=data["reason"],
            expected_version=version,
        )
        return _written(result)


class PatientDowngradeView(RegistryAPIView):
    required_permissions = {"POST": "patients.downgrade_identity"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_downgrade",
        description=docs.DOWNGRADE,
        summary="Withdraw the INS and/or the document validation with a reason (ST-06)",
        request=DowngradeInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PatientWriteOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(DowngradeInput, request.data)
        result = services.identity_downgrade(actor=request.user, patient=patient, expected_version=version, **data)
        return _written(result)


class PatientHistoryView(RegistryAPIView):
    required_permissions = {"GET": "patients.view_identity_history"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_history",
        description=docs.HISTORY,
        summary="Who changed what, when and why (AUD-01), newest first",
        parameters=[ETAG_HEADER],
        responses={
            200: OpenApiResponse(HistoryEntryOutput(many=True), description="The changes, newest first."),
            **error_responses(*http.READ_ERRORS),
        },
    )
    def get(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        entries = selectors.patient_history(patient=patient)
        patient_record_access(actor=request.user, patients=[patient], action=PatientAccess.Action.HISTORY)
        return http.with_etag(Response(HistoryEntryOutput(entries, many=True).data), patient)
