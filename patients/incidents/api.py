"""API of the identity incidents (RNIV AUD-04): referents open, read and close them; auditors read them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.views import RegistryAPIView, validated
from identity_registry.exceptions import InvalidInput
from identity_registry.inputs import REASON_MAX_LENGTH
from patients.api import http
from patients.api.http import error_responses
from patients.api.serializers import PatientRefOutput, StrictInput, _text
from patients.incidents.models import Incident, IncidentKind, IncidentStatus
from patients.incidents.selectors import incident_alerts, incident_readers
from patients.incidents.services import incident_close, incident_open
from patients.roles import INCIDENT_CLOSE_PERMISSION, INCIDENT_OPEN_PERMISSION, INCIDENT_VIEW_PERMISSION

TAG = ["incidents"]

OPEN = """Declare this identity wrong (AUD-04): an INS given to another person, a mix-up of homonyms, a
usurpation. Name the faulty change by `faulty_version`: the identity's `version` after that change, as
`GET /patients/{id}/history/` lists it. The registry then, at once:

- downgrades the identity to PROV (ST-06: INS and document check withdrawn), the incident being the reason;
- lists every account that read or received the identity since the faulty change (`readers`: first and last
  time, how many reads, how: screen, API, search result, export), from the access log (AUD-03), merged records
  included;
- mails each of them an alert (Django's mail framework, `EMAIL_BACKEND`), and records each alert, sent or not
  (`alerts`; an account without an address is recorded as not sent). The caller is listed but not alerted;
- appends `incident_opened` to the events feed.

409 codes: `AUD-04`: an incident is already open on this identity; `AUD-05`: the identity was merged, declare
the incident on its survivor."""

LIST = "The incidents of this identity, newest first (AUD-04), each with its readers and alerts."
DETAIL = "One incident (AUD-04): the faulty change, the readers since it, the alerts sent, and its state."
CLOSE = """Close the incident with a reason (AUD-04). The identity is not re-qualified by it: verify it again
(INSi, identity document). Appends `incident_closed` to the events feed.

409 codes: `AUD-04`: the incident is already closed."""


class IncidentOpenInput(StrictInput):
    kind = serializers.ChoiceField(choices=IncidentKind.choices, help_text="What went wrong.")
    faulty_version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The identity's version after the faulty change (see /history/)."
    )
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory; write no trait in it (it shows in the timeline).")


class IncidentCloseInput(StrictInput):
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory: what was done.")


class ReaderOutput(serializers.Serializer):
    account = serializers.CharField(source="user.username", help_text="Username of the account (person or software).")
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    reads = serializers.IntegerField(help_text="How many access-log rows in the window.")
    how = serializers.ListField(child=serializers.CharField(), help_text="Action and channel, in French.")


class AlertOutput(serializers.Serializer):
    recipient = serializers.CharField(source="recipient.username")
    channel = serializers.CharField(help_text="`mail`.")
    sent = serializers.BooleanField()
    failure = serializers.CharField(help_text="Why not sent: no address, or the mail server refused.")
    recorded_at = serializers.DateTimeField()


class IncidentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    patient = PatientRefOutput()
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    status = serializers.ChoiceField(choices=IncidentStatus.choices)
    reason = serializers.CharField()
    faulty_version = serializers.IntegerField(source="faulty_change.version")
    faulty_change_at = serializers.DateTimeField()
    opened_by = serializers.CharField(source="opened_by.username")
    opened_at = serializers.DateTimeField()
    downgraded = serializers.BooleanField(help_text="The identity was downgraded to PROV at the opening.")
    closed_by = serializers.CharField(source="closed_by.username", allow_null=True, default=None)
    closed_at = serializers.DateTimeField(allow_null=True)
    closing_reason = serializers.CharField()
    readers = serializers.SerializerMethodField()
    alerts = serializers.SerializerMethodField()

    @extend_schema_field(ReaderOutput(many=True))
    def get_readers(self, incident: Incident) -> list[dict]:
        return ReaderOutput(incident_readers(incident=incident), many=True).data

    @extend_schema_field(AlertOutput(many=True))
    def get_alerts(self, incident: Incident) -> list[dict]:
        return AlertOutput(incident_alerts(incident=incident), many=True).data


class PatientIncidentsView(RegistryAPIView):
    required_permissions = {"GET": INCIDENT_VIEW_PERMISSION, "POST": INCIDENT_OPEN_PERMISSION}

    @extend_schema(
        tags=TAG,
        operation_id="patients_incidents_list",
        summary="The incidents of this identity (AUD-04)",
        description=LIST,
        responses={200: IncidentOutput(many=True), **error_responses(*http.READ_ERRORS)},
    )
    def get(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        incidents = Incident.objects.filter(patient=patient).select_related("patient", "faulty_change")
        return Response(IncidentOutput(incidents, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="patients_incidents_open",
        summary="Declare this identity wrong: downgrade to PROV, list and alert its readers (AUD-04)",
        description=OPEN,
        request=IncidentOpenInput,
        responses={201: IncidentOutput, **error_responses(400, 401, 403, 404, 409, 415)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        data = validated(IncidentOpenInput, request.data)
        change = patient.history.filter(version=data["faulty_version"]).order_by("history_date", "history_id").first()
        if change is None:
            message = "Aucune version de l'identité ne porte ce numéro (voir son historique)."
            raise InvalidInput(message, details={"faulty_version": [message]})
        opened = incident_open(
            actor=request.user, patient=patient, kind=data["kind"], faulty_change=change, reason=data["reason"]
        )
        return Response(IncidentOutput(opened.incident).data, status=status.HTTP_201_CREATED)


class IncidentDetailView(RegistryAPIView):
    required_permissions = {"GET": INCIDENT_VIEW_PERMISSION}

    @extend_schema(
        tags=TAG,
        operation_id="incidents_retrieve",
        summary="One incident, its readers and its alerts (AUD-04)",
        description=DETAIL,
        responses={200: IncidentOutput, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, incident_id: int) -> Response:
        return Response(IncidentOutput(get_object_or_404(Incident, pk=incident_id)).data)


class IncidentCloseView(RegistryAPIView):
    required_permissions = {"POST": INCIDENT_CLOSE_PERMISSION}

    @extend_schema(
        tags=TAG,
        operation_id="incidents_close",
        summary="Close an incident with a reason (AUD-04)",
        description=CLOSE,
        request=IncidentCloseInput,
        responses={200: IncidentOutput, **error_responses(400, 401, 403, 404, 409, 415)},
    )
    def post(self, request: Request, incident_id: int) -> Response:
        incident = get_object_or_404(Incident, pk=incident_id)
        data = validated(IncidentCloseInput, request.data)
        closed = incident_close(actor=request.user, incident=incident, reason=data["reason"])
        return Response(IncidentOutput(closed).data)
