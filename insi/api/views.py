"""Thin DRF views of the INSi actions on a patient (INSI-01, INSI-06, INSI-10, ST-08)."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.docs import ErrorDocs
from identity_registry.api.views import RegistryAPIView, validated
from identity_registry.exceptions import InvalidTransition
from identity_registry.pagination import StrictLimitOffsetPagination
from insi.api import docs
from insi.api.serializers import (
    CallSerializer,
    DecisionInputSerializer,
    DecisionOutputSerializer,
    OutcomeSerializer,
    SearchInputSerializer,
    VerifyInputSerializer,
)
from insi.models import InsiProposal
from insi.selectors import insi_calls_for_patient
from insi.services import (
    VitaleCard,
    insi_decide_proposal,
    insi_search_for_patient,
    insi_search_with_vitale,
    insi_verify_patient,
)
from patients.api.http import patient_or_404
from patients.audit import patient_record_access
from patients.records import PatientAccess

# What each operation can answer besides its success (checked by tests/insi/test_schema_contract.py).
CALL_ERRORS = (400, 401, 403, 404, 409, 412, 415, 503)
DECISION_ERRORS = (400, 401, 403, 404, 409, 412, 415)
LOG_ERRORS = (401, 403, 404)
errors = ErrorDocs(
    {
        403: "The user's role lacks the INSi permission (ST-09).",
        404: "No active identity has this id.",
        409: "Refused by a rule; `code` is the rule ID (e.g. ST-03, ST-08, INSI-06).",
        412: "The identity changed meanwhile (during the call, or since the proposal): nothing was written.",
        503: "INSi technical failure (INSI-02), code insi_unavailable: the identity is untouched.",
    }
)


class InsiApiView(RegistryAPIView):
    permission_message = "Vous n'avez pas la permission d'effectuer cette action INSi."


class PatientInsiSearchApi(InsiApiView):
    required_permissions = {"POST": "insi.query_insi"}

    @extend_schema(
        operation_id="patient_insi_search",
        description=docs.SEARCH,
        summary="Search INSi for the patient (traits or carte Vitale)",
        request=SearchInputSerializer,
        responses={200: OutcomeSerializer, **errors(*CALL_ERRORS)},
        tags=["insi"],
    )
    def post(self, request: Request, public_id) -> Response:
        patient = patient_or_404(public_id, active_only=True)
        data = validated(SearchInputSerializer, request.data)
        vitale = data.get("vitale")
        reason = data["reason"]
        if vitale:
            outcome = insi_search_with_vitale(
                actor=request.user, patient=patient, card=VitaleCard(**vitale), reason=reason
            )
        else:
            outcome = insi_search_for_patient(actor=request.user, patient=patient, reason=reason)
        return Response(OutcomeSerializer(outcome).data)


class PatientInsiVerifyApi(InsiApiView):
    required_permissions = {"POST": "insi.query_insi"}

    @extend_schema(
        operation_id="patient_insi_verify",
        description=docs.VERIFY,
        summary="Verify the stored INS through INSi (ST-08)",
        request=VerifyInputSerializer,
        responses={200: OutcomeSerializer, **errors(*CALL_ERRORS)},
        tags=["insi"],
    )
    def post(self, request: Request, public_id) -> Response:
        patient = patient_or_404(public_id, active_only=True)
        data = validated(VerifyInputSerializer, request.data)
        outcome = insi_verify_patient(actor=request.user, patient=patient, reason=data["reason"])
        return Response(OutcomeSerializer(outcome).data)


class PatientInsiDecisionApi(InsiApiView):
    required_permissions = {"POST": "insi.decide_insi"}

    @extend_schema(
        operation_id="patient_insi_decision",
        description=docs.DECISION,
        summary="Accept or reject the pending INSi proposal with a justification (INSI-06)",
        request=DecisionInputSerializer,
        responses={200: DecisionOutputSerializer, **errors(*DECISION_ERRORS)},
        tags=["insi"],
    )
    def post(self, request: Request, public_id) -> Response:
        patient = patient_or_404(public_id, active_only=True)
        data = validated(DecisionInputSerializer, request.data)
        proposals = InsiProposal.objects.filter(patient=patient, state=InsiProposal.State.PENDING)
        if "proposal_id" in data:
            proposals = proposals.filter(public_id=data["proposal_id"])
        proposal = proposals.first()
        if proposal is None:
            raise InvalidTransition("Aucune proposition INSi en attente pour cette identité.", code="INSI-06")
        decided = insi_decide_proposal(
            actor=request.user,
            proposal=proposal,
            accept=data["decision"] == "accept",
            justification=data["justification"],
        )
        patient.refresh_from_db()
        return Response(DecisionOutputSerializer({"proposal": decided, "patient": patient}).data)


class CallPagination(StrictLimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class PatientInsiCallsApi(InsiApiView, ListAPIView):
    required_permissions = {"GET": "insi.view_insicall"}
    serializer_class = CallSerializer
    pagination_class = CallPagination

    @extend_schema(
        operation_id="patient_insi_calls",
        description=docs.CALLS,
        summary="INSi call log of the patient (INSI-10)",
        responses={200: CallSerializer(many=True), **errors(400, *LOG_ERRORS)},
        tags=["insi"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        patient = patient_or_404(self.kwargs["public_id"])
        # RNIV AUD-03: the log shows the traits sent, so reading it is a read of the identity.
        patient_record_access(actor=self.request.user, patients=[patient], action=PatientAccess.Action.RETRIEVE)
        return insi_calls_for_patient(patient=patient)
