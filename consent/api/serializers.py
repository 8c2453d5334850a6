"""Input and output serializers of the consent API. Field names in English; patients by public_id."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consent.codes import (
    AccessMode,
    AccessPurpose,
    CardType,
    Channel,
    ConsentDecision,
    ConsentPurpose,
    EmergencyMode,
    EpisodeKind,
    GiverCapacity,
    LegalProtection,
    OppositionKind,
)
from consent.models import (
    AccessDecisionLog,
    CareEpisode,
    CareTeamMember,
    ConsentRecord,
    EmergencyAccess,
    PatientOpposition,
    Professional,
)
from identity_registry.api.fields import InstantField, RowIdField
from identity_registry.api.serializers import StrictInput
from identity_registry.inputs import JUSTIFICATION_MAX_LENGTH, REASON_MAX_LENGTH
from patients.models import Patient
from patients.selectors import patient_get

UNKNOWN_PATIENT = "Patient inconnu : identifiant public (UUID) attendu."


@extend_schema_field(OpenApiTypes.UUID)
class PatientRef(serializers.Field):
    """An active identity named by its public UUID; anything else is the field's 400."""

    def to_internal_value(self, data: object) -> Patient:
        patient = patient_get(data, active_only=True) if isinstance(data, str) else None
        if patient is None:
            raise serializers.ValidationError(UNKNOWN_PATIENT)
        return patient

    def to_representation(self, value: Patient) -> str:
        return str(value.public_id)


def patient_ref(**kwargs) -> PatientRef:
    return PatientRef(label="Identifiant public", **kwargs)


class ProfessionalInput(StrictInput):
    national_id = serializers.CharField(max_length=40, help_text="RPPS prefixed 8 (12 digits) or ADELI prefixed 0.")
    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100)
    profession = serializers.CharField(max_length=100)
    card_type = serializers.ChoiceField(choices=CardType.choices)


ID_KIND_CHOICES = [
    ("RPPS", "RPPS : 11 chiffres, saisi préfixé par 8 (12 chiffres) (PRO-01)"),
    ("ADELI", "ADELI : 9 chiffres, saisi préfixé par 0 (10 chiffres) (PRO-01)"),
]


class ProfessionalOutput(serializers.ModelSerializer):
    id_kind = serializers.ChoiceField(choices=ID_KIND_CHOICES, read_only=True, help_text="Read from the prefix.")
    national_id = serializers.CharField(read_only=True, help_text="Unique: one professional per identifier.")

    class Meta:
        model = Professional
        fields = ["id", "national_id", "id_kind", "last_name", "first_name", "profession", "card_type", "is_active"]


class EpisodeInput(StrictInput):
    patient = patient_ref()
    unit = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    legal_protection = serializers.ChoiceField(choices=LegalProtection.choices, default=LegalProtection.NONE)
    started_at = InstantField(required=False)
    ended_at = InstantField(required=False, allow_null=True)


class EpisodeUpdateInput(StrictInput):
    unit = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=EpisodeKind.choices, required=False)
    legal_protection = serializers.ChoiceField(choices=LegalProtection.choices, required=False)
    started_at = InstantField(required=False)
    ended_at = InstantField(required=False, allow_null=True)


class TeamMemberOutput(serializers.ModelSerializer):
    class Meta:
        model = CareTeamMember
        fields = ["id", "episode", "professional", "role", "joined_at", "left_at"]


class EpisodeOutput(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    team = TeamMemberOutput(many=True, read_only=True)

    class Meta:
        model = CareEpisode
        fields = ["id", "patient", "unit", "kind", "legal_protection", "started_at", "ended_at", "team"]


class TeamMemberInput(StrictInput):
    professional = RowIdField(queryset=Professional.objects.all())
    role = serializers.CharField(max_length=100)
    joined_at = InstantField(required=False)
    left_at = InstantField(required=False, allow_null=True)


class EndMembershipInput(StrictInput):
    left_at = InstantField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH)


class ConsentInput(StrictInput):
    episode = RowIdField(queryset=CareEpisode.objects.all())
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    decision = serializers.ChoiceField(choices=ConsentDecision.choices)
    professional = RowIdField(queryset=Professional.objects.all(), required=False, allow_null=True)
    given_by_capacity = serializers.ChoiceField(choices=GiverCapacity.choices)
    given_by_name = serializers.CharField(max_length=200)
    channel = serializers.ChoiceField(choices=Channel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH)


class ConsentOutput(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="episode.patient.public_id", read_only=True)

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "patient",
            "episode",
            "purpose",
            "decision",
            "professional",
            "given_by_capacity",
            "given_by_name",
            "channel",
            "collected_at",
            "withdrawn_at",
        ]


class WithdrawInput(StrictInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH)


class OppositionInput(StrictInput):
    patient = patient_ref()
    kind = serializers.ChoiceField(choices=OppositionKind.choices)
    expressed_by_capacity = serializers.ChoiceField(choices=GiverCapacity.choices)
    expressed_by_name = serializers.CharField(max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH)


class OppositionOutput(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)

    class Meta:
        model = PatientOpposition
        fields = ["id", "patient", "kind", "expressed_by_capacity", "expressed_by_name", "recorded_at", "withdrawn_at"]


class DecisionOutput(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)

    class Meta:
        model = AccessDecisionLog
        fields = [
            "id",
            "allowed",
            "basis",
            "rule",
            "message",
            "purpose",
            "access_mode",
            "patient",
            "professional",
            "episode",
            "at",
            "decided_at",
        ]


class EmergencyInput(StrictInput):
    professional = RowIdField(queryset=Professional.objects.all())
    episode = RowIdField(queryset=CareEpisode.objects.all())
    mode = serializers.ChoiceField(choices=EmergencyMode.choices)
    # Blank is let through so the service answers with the CONS-05 message.
    justification = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, max_length=JUSTIFICATION_MAX_LENGTH
    )
    patient_cannot_express = serializers.BooleanField(required=False, default=False)


class EmergencyOutput(serializers.ModelSerializer):
    decision = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyAccess
        fields = [
            "id",
            "professional",
            "episode",
            "mode",
            "justification",
            "patient_cannot_express",
            "declared_at",
            "decision",
        ]

    @extend_schema_field(DecisionOutput(allow_null=True))
    def get_decision(self, obj: EmergencyAccess) -> dict | None:
        decision = self.context.get("decision")
        return DecisionOutput(decision).data if decision else None


class DecisionInput(StrictInput):
    patient = patient_ref()
    professional = RowIdField(queryset=Professional.objects.all())
    episode = RowIdField(queryset=CareEpisode.objects.all())
    purpose = serializers.ChoiceField(choices=AccessPurpose.choices)
    mode = serializers.ChoiceField(choices=AccessMode.choices, default=AccessMode.NORMAL)


class PatientFilter(serializers.Serializer):
    patient = serializers.UUIDField(required=False)


class ProfessionalFilter(serializers.Serializer):
    national_id = serializers.CharField(
        required=False,
        max_length=12,
        help_text="RPPS (12 digits, prefixed 8) or ADELI (10 digits, prefixed 0), as entered (PRO-01). Unique: "
        "the list then holds the one professional with this identifier, deactivated or not, or nothing.",
    )
