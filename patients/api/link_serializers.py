"""API shapes of identifiers of other systems, merges and the events feed (issue 9)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from identity_registry.api.fields import UuidField
from identity_registry.inputs import REASON_MAX_LENGTH
from patients.api.choices import EVENT_KIND_CHOICES
from patients.api.serializers import ExternalIdentifierOutput, PatientOutput, PatientRefOutput, StrictInput, _text


class AuthorityOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    oid = serializers.CharField()


class IdentifierAddInput(StrictInput):
    authority = _text(30, help_text="Code of an administered assigning authority (see /identifier-authorities/).")
    value = _text(100, help_text="Stored without spaces, upper case.")
    reason = _text(REASON_MAX_LENGTH, required=False, allow_blank=True)


class IdentifierRemoveInput(StrictInput):
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory justification (AUD-01).")


class IdentifierWriteOutput(serializers.Serializer):
    patient = PatientOutput()
    identifier = ExternalIdentifierOutput()


class MergeInput(StrictInput):
    merged = UuidField(help_text="The duplicate to merge into this identity (its public id).")
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory justification (AUD-05).")


class UnmergeInput(StrictInput):
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory justification (AUD-05).")


class MergeOutput(serializers.Serializer):
    survivor = PatientOutput()
    merged = PatientOutput()
    moved = serializers.DictField(
        source="record.moved",
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="What moved, by model label: the ids of the rows (an unmerge moves exactly these back).",
    )
    warnings = serializers.ListField(child=serializers.CharField())


class EventOutput(serializers.Serializer):
    cursor = serializers.IntegerField(source="seq", help_text="Send it back as `after` to read what follows.")
    patient = serializers.SerializerMethodField()
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_KIND_CHOICES), help_text="What changed; never the values."
    )
    related = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(PatientRefOutput)
    def get_patient(self, event) -> dict:
        return {"id": str(event.patient_public_id), "ipp": event.ipp}

    @extend_schema_field(PatientRefOutput(allow_null=True))
    def get_related(self, event) -> dict | None:
        if event.related_public_id is None:
            return None
        return {"id": str(event.related_public_id), "ipp": event.related_ipp}


class EventPageOutput(serializers.Serializer):
    events = EventOutput(many=True)
    next_cursor = serializers.IntegerField(help_text="The `after` of your next poll (unchanged when nothing new).")
