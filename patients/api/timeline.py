"""GET /api/v1/patients/{id}/timeline/: the auditor's timeline as JSON (RNIV AUD-02), logged as an export."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from identity_registry.api.views import RegistryAPIView, validated
from patients.api import http
from patients.api.http import error_responses
from patients.audit import patient_record_access
from patients.records import PatientAccess
from patients.roles import TIMELINE_PERMISSION
from patients.timeline import patient_full_timeline, timeline_kinds
from patients.timeline_export import timeline_rows

DESCRIPTION = """Everything that happened to one identity, oldest first (AUD-02): changes of traits, status and
attributes (before → after), documents checked, INSi calls and decisions, consents, oppositions and emergency
accesses, DMP access decisions, reads (access log), duplicates found or dismissed, merges and unmerges. A merged
identity's survivor includes the events of the records it absorbed. Labels are in French, times in ISO 8601 with
`at_local` in Europe/Paris. Filter by `kind` and by local day (`start`, `end`, both included). The call is
recorded in the access log as an export (AUD-03)."""


class TimelineQueryInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], required=False, help_text="Only the events of this kind.")
    start = serializers.DateField(required=False, help_text="First local day (YYYY-MM-DD), included.")
    end = serializers.DateField(required=False, help_text="Last local day (YYYY-MM-DD), included.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(timeline_kinds().items())

    def validate(self, data: dict) -> dict:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError("La date de début est postérieure à la date de fin.")
        return data


class TimelineEntryOutput(serializers.Serializer):
    at = serializers.CharField(help_text="When, ISO 8601 with its UTC offset.")
    at_local = serializers.CharField(help_text="When, DD/MM/YYYY HH:MM in Europe/Paris.")
    kind = serializers.ChoiceField(choices=[], help_text="Which journal the event comes from.")
    kind_label = serializers.CharField(help_text="The kind, in French.")
    label = serializers.CharField(help_text="What happened, in French.")
    details = serializers.CharField(help_text="Fields before → after, return code, declarant…")
    actor = serializers.CharField(help_text="Full name of who did it (« Système » when nobody).")
    actor_role = serializers.CharField(help_text="The roles (groups) of that user.")
    reason = serializers.CharField(help_text="The written reason or justification, when there is one.")
    patient = serializers.CharField(help_text="Public id of the identity it happened to (an absorbed record's).")
    ipp = serializers.CharField(help_text="IPP of that identity.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(timeline_kinds().items())


def _kind_parameter() -> OpenApiParameter:
    """``kind`` with its labelled enum in its own schema (the enum components hook skips query parameters)."""
    kinds = timeline_kinds()
    labels = "\n".join(f"* `{code}` - {label}" for code, label in kinds.items())
    schema = {"type": "string", "enum": list(kinds), "description": labels}
    return OpenApiParameter("kind", schema, OpenApiParameter.QUERY, description="Only the events of this kind.")


DATE_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.DATE, OpenApiParameter.QUERY, description=text)
    for name, text in (("start", "First local day (YYYY-MM-DD), included."), ("end", "Last local day, included."))
]


class PatientTimelineView(RegistryAPIView):
    required_permissions = {"GET": TIMELINE_PERMISSION}

    @extend_schema(
        tags=["patients"],
        operation_id="patients_timeline",
        summary="The auditor's timeline of one identity, oldest first (AUD-02)",
        description=DESCRIPTION,
        parameters=[_kind_parameter(), *DATE_PARAMETERS],
        responses={
            200: OpenApiResponse(TimelineEntryOutput(many=True), description="The events, oldest first."),
            **error_responses(400, *http.READ_ERRORS),
        },
    )
    def get(self, request: Request, public_id: str) -> Response:
        patient = http.patient_or_404(public_id)
        query = validated(TimelineQueryInput, request.query_params)
        kinds = [query["kind"]] if query.get("kind") else None
        entries = patient_full_timeline(patient=patient, kinds=kinds, start=query.get("start"), end=query.get("end"))
        patient_record_access(actor=request.user, patients=[patient], action=PatientAccess.Action.EXPORT)
        return Response(TimelineEntryOutput(timeline_rows(entries), many=True).data)
