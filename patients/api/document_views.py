"""Thin views of the documents API: a refusal to show one (ST-10), and a document's scan (ID-09)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.parsers import ScanUploadParser
from identity_registry.api.views import RegistryAPIView, validated
from patients import services
from patients.api import docs, http
from patients.api.http import ETAG_HEADER, IF_MATCH, error_responses
from patients.api.serializers import (
    DocumentDeclinedInput,
    DocumentDeclinedOutput,
    DocumentOutput,
    PatientOutput,
    ScanUploadInput,
)
from patients.models import IdentityDocument, Patient
from patients.records import PatientAccess
from patients.scan_response import scan_response

TAG = ["patients"]


def _document_or_404(patient: Patient, document_id: int) -> IdentityDocument:
    document = IdentityDocument.objects.select_related("patient").filter(pk=document_id, patient=patient).first()
    if document is None:
        raise NotFound("Aucun justificatif de cette identité ne porte ce numéro.")
    return document


class PatientDocumentDeclinedView(RegistryAPIView):
    # RNIV ST-09: who records documents records a refusal to show one.
    required_permissions = {"POST": "patients.add_identitydocument"}

    @extend_schema(
        tags=TAG,
        operation_id="patients_document_declined",
        description=docs.DOCUMENT_DECLINED,
        summary="Record that the person declined to show an identity document (ST-10)",
        request=DocumentDeclinedInput,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={201: DocumentDeclinedOutput, **error_responses(*http.WRITE_ERRORS)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        version = http.expected_version(request)
        data = validated(DocumentDeclinedInput, request.data)
        declined = services.identity_record_document_declined(
            actor=request.user, patient=patient, expected_version=version, **data
        )
        patient.refresh_from_db()
        body = {**DocumentDeclinedOutput(declined).data, "patient": PatientOutput(patient).data}
        return http.with_etag(Response(body, status=201), patient)


class DocumentScanView(RegistryAPIView):
    # RNIV ID-09: who may read documents may read their scans (each read logged); who records them attaches one.
    required_permissions = {"GET": "patients.view_identitydocument", "POST": "patients.add_identitydocument"}
    parser_classes = [ScanUploadParser]

    @extend_schema(
        tags=TAG,
        operation_id="patients_document_scan_read",
        description=docs.SCAN_READ,
        summary="Read a document's scan (ID-09); the read is logged (AUD-03)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The scan (PDF, JPEG or PNG)."),
            **error_responses(401, 403, 404, 409),
        },
    )
    def get(self, request: Request, public_id: str, document_id: int) -> Response:
        document = _document_or_404(http.patient_or_404(public_id), document_id)
        opened = services.document_open_scan(actor=request.user, document=document, channel=PatientAccess.Channel.API)
        return scan_response(opened)

    @extend_schema(
        tags=TAG,
        operation_id="patients_document_scan_attach",
        description=docs.SCAN_UPLOAD,
        summary="Attach the scan of a recorded document (ID-09)",
        request={"multipart/form-data": ScanUploadInput},
        responses={201: DocumentOutput, **error_responses(400, 401, 403, 404, 409, 415)},
    )
    def post(self, request: Request, public_id: str, document_id: int) -> Response:
        document = _document_or_404(http.patient_or_404(public_id), document_id)
        data = validated(ScanUploadInput, request.data)
        attached = services.document_attach_scan(actor=request.user, document=document, **data)
        return Response(DocumentOutput(attached).data, status=201)
