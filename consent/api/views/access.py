"""Emergency access and the DMP access decision (RULES CONS-05, CONS-08)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from consent.api import docs
from consent.api.serializers import DecisionInput, DecisionOutput, EmergencyInput, EmergencyOutput
from consent.api.views._base import ConsentAPIView, errors, patient_from_query
from consent.selectors import decision_log, emergency_accesses_for_patient
from consent.services import dmp_access_decision, emergency_access_declare
from identity_registry.api.views import validated

PATIENT_PARAM = OpenApiParameter("patient", OpenApiTypes.UUID, description="Patient public_id (UUID)")


class EmergencyAccessListView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_emergencyaccess", "POST": "consent.declare_emergency_access"}

    @extend_schema(
        parameters=[PATIENT_PARAM],
        responses={200: EmergencyOutput(many=True), **errors(400, 401, 403, 404)},
        summary="List emergency accesses",
        description=docs.EMERGENCY_LIST,
    )
    def get(self, request):
        patient = patient_from_query(request)
        accesses = emergency_accesses_for_patient(patient=patient) if patient else []
        return Response(EmergencyOutput(accesses, many=True).data)

    @extend_schema(
        request=EmergencyInput,
        responses={201: EmergencyOutput, **errors(400, 401, 403, 409, 415)},
        summary="Declare an emergency access (bris de glace or Centre 15); justification mandatory",
        description=docs.EMERGENCY_CREATE,
    )
    def post(self, request):
        data = validated(EmergencyInput, request.data)
        result = emergency_access_declare(actor=request.user, **data)
        output = EmergencyOutput(result.access, context={"decision": result.decision})
        return Response(output.data, status=status.HTTP_201_CREATED)


class AccessDecisionView(ConsentAPIView):
    required_permissions = {"GET": "consent.view_accessdecisionlog", "POST": "consent.request_access_decision"}

    @extend_schema(
        parameters=[PATIENT_PARAM],
        responses={200: DecisionOutput(many=True), **errors(400, 401, 403, 404)},
        summary="Read the decision log",
        description=docs.DECISION_LIST,
    )
    def get(self, request):
        return Response(DecisionOutput(decision_log(patient=patient_from_query(request))[:500], many=True).data)

    @extend_schema(
        request=DecisionInput,
        responses={200: DecisionOutput, **errors(400, 401, 403, 415)},
        summary="Decide whether a professional may access the patient's DMP (logged)",
        description=docs.DECISION_CREATE,
    )
    def post(self, request):
        data = validated(DecisionInput, request.data)
        decision = dmp_access_decision(actor=request.user, **data)
        return Response(DecisionOutput(decision).data)
