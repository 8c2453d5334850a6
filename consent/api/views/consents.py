"""Consents and standing oppositions: record, list, withdraw (RULES CONS-01 to CONS-06)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from consent.api import docs
from consent.api.serializers import ConsentInput, ConsentOutput, OppositionInput, OppositionOutput, WithdrawInput
from consent.api.views._base import ConsentAPIView, errors, patient_from_query
from consent.models import ConsentRecord, PatientOpposition
from consent.selectors import consents_for_patient, oppositions_for_patient
from consent.services import consent_record, consent_withdraw, opposition_record, opposition_withdraw
from identity_registry.api.views import validated
from identity_registry.exceptions import InvalidInput

PATIENT_PARAM = OpenApiParameter("patient", OpenApiTypes.UUID, required=True, description="Patient public_id (UUID)")
NEEDS_PATIENT = "Précisez le patient : paramètre « patient » (identifiant public)."


def _required_patient(request):
    patient = patient_from_query(request)
    if patient is None:
        raise InvalidInput(NEEDS_PATIENT, details={"patient": [NEEDS_PATIENT]})
    return patient


class ConsentListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_consentrecord", "POST": "consent.record_consent"}

    @extend_schema(
        parameters=[PATIENT_PARAM],
        responses={200: ConsentOutput(many=True), **errors(400, 401, 403, 404)},
        summary="List a patient's consents",
        description=docs.CONSENT_LIST,
    )
    def get(self, request):
        records = consents_for_patient(patient=_required_patient(request)).select_related("episode__patient")
        return Response(ConsentOutput(records, many=True).data)

    @extend_schema(
        request=ConsentInput,
        responses={201: ConsentOutput, **errors(400, 401, 403, 409, 415)},
        summary="Record a consent for an episode",
        description=docs.CONSENT_CREATE,
    )
    def post(self, request):
        data = validated(ConsentInput, request.data)
        record = consent_record(actor=request.user, **data)
        return Response(ConsentOutput(record).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(ConsentAPIView):
    required_permissions = {"POST": "consent.record_consent"}

    @extend_schema(
        request=WithdrawInput,
        responses={200: ConsentOutput, **errors(400, 401, 403, 404, 409, 415)},
        summary="Withdraw a consent (409 if already)",
        description=docs.CONSENT_WITHDRAW,
    )
    def post(self, request, pk: int):
        record = get_object_or_404(ConsentRecord, pk=pk)
        data = validated(WithdrawInput, request.data)
        return Response(ConsentOutput(consent_withdraw(actor=request.user, consent=record, **data)).data)


class OppositionListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_patientopposition", "POST": "consent.record_consent"}

    @extend_schema(
        parameters=[PATIENT_PARAM],
        responses={200: OppositionOutput(many=True), **errors(400, 401, 403, 404)},
        summary="List a patient's oppositions",
        description=docs.OPPOSITION_LIST,
    )
    def get(self, request):
        return Response(OppositionOutput(oppositions_for_patient(patient=_required_patient(request)), many=True).data)

    @extend_schema(
        request=OppositionInput,
        responses={201: OppositionOutput, **errors(400, 401, 403, 409, 415)},
        summary="Record a standing opposition",
        description=docs.OPPOSITION_CREATE,
    )
    def post(self, request):
        data = validated(OppositionInput, request.data)
        opposition = opposition_record(actor=request.user, **data)
        return Response(OppositionOutput(opposition).data, status=status.HTTP_201_CREATED)


class OppositionWithdrawView(ConsentAPIView):
    required_permissions = {"POST": "consent.record_consent"}

    @extend_schema(
        request=WithdrawInput,
        responses={200: OppositionOutput, **errors(400, 401, 403, 404, 409, 415)},
        summary="Withdraw an opposition",
        description=docs.OPPOSITION_WITHDRAW,
    )
    def post(self, request, pk: int):
        opposition = get_object_or_404(PatientOpposition, pk=pk)
        data = validated(WithdrawInput, request.data)
        return Response(OppositionOutput(opposition_withdraw(actor=request.user, opposition=opposition, **data)).data)
