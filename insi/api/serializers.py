"""Serializers of the INSi API: inputs are validated here, outcomes are rendered from the services' results."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from insi.models import InsiCall, InsiProposal


class VitaleCardSerializer(serializers.Serializer):
    # A number typed with its printed spaces ("2 75 12 63 220 749 74") is 21 characters: room for them.
    individual = serializers.CharField(required=False, allow_blank=True, max_length=30)
    holder = serializers.CharField(required=False, allow_blank=True, max_length=30)
    birth_rank = serializers.IntegerField(required=False, default=1, min_value=1, max_value=9)
    regime = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="Grand régime (2 digits)."
    )
    fund = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text="Caisse (3 digits).")
    centre = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text="Centre (4 digits).")


class SearchInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    vitale = VitaleCardSerializer(required=False, help_text="Search keyed by a carte Vitale (TR-11).")


class VerifyInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


# Named apart from the consent app's DMP access decisions: one schema component each.
@extend_schema_serializer(component_name="InsiDecisionInput")
class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    justification = serializers.CharField(max_length=2000, allow_blank=True)
    proposal_id = serializers.UUIDField(required=False, help_text="Defaults to the patient's pending proposal.")


class ReturnedInsSerializer(serializers.Serializer):
    matricule = serializers.CharField()
    oid = serializers.CharField()
    valid_from = serializers.CharField()
    valid_until = serializers.CharField()


class ReturnedIdentitySerializer(serializers.Serializer):
    matricule = serializers.CharField(source="ins.matricule")
    oid = serializers.CharField(source="ins.oid")
    birth_name = serializers.CharField(source="traits.birth_name")
    first_name = serializers.CharField(source="traits.first_name")
    first_names = serializers.CharField(source="traits.first_names")
    sex = serializers.CharField(source="traits.sex")
    birth_date = serializers.CharField(source="traits.birth_date")
    birthplace_cog = serializers.CharField(source="traits.birthplace_cog")
    history = ReturnedInsSerializer(many=True)


class DifferenceSerializer(serializers.Serializer):
    trait = serializers.CharField()
    local = serializers.CharField()
    returned = serializers.CharField()
    rule = serializers.CharField()
    severity = serializers.CharField()
    explanation = serializers.CharField()


class RetrySerializer(serializers.Serializer):
    rule = serializers.CharField()
    text = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")

    class Meta:
        model = InsiProposal
        fields = [
            "id",
            "kind",
            "state",
            "matricule",
            "oid",
            "birth_name",
            "first_name",
            "first_names",
            "sex",
            "birth_date",
            "birthplace_cog",
            "differences",
            "earlier",
            "created_at",
            "decided_at",
            "justification",
        ]


class EarlierInsSerializer(serializers.Serializer):
    """An earlier matricule kept in the identity's INS history, with its validity dates (INSI-09)."""

    matricule = serializers.CharField()
    oid = serializers.CharField()
    source = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class PatientStateSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    ins_history = EarlierInsSerializer(many=True, read_only=True, help_text="Earlier INS matricules (INSI-09).")


class CallSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cr = serializers.CharField()
    outcome = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        help_text="MATCH, NEEDS_DECISION, DISCORDANT, NOT_FOUND, MULTIPLE, VERIFIED, CHANGED"
    )
    cr = serializers.CharField(help_text="INSi result code: 00, 01 or 02")
    message = serializers.CharField()
    patient = PatientStateSerializer()
    returned = ReturnedIdentitySerializer(source="identity", allow_null=True)
    differences = DifferenceSerializer(many=True)
    retries = RetrySerializer(many=True)
    proposal = ProposalSerializer(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    calls = CallSummarySerializer(many=True)


@extend_schema_serializer(component_name="InsiDecisionOutput")
class DecisionOutputSerializer(serializers.Serializer):
    proposal = ProposalSerializer()
    patient = PatientStateSerializer()


class CallSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = InsiCall
        fields = [
            "id",
            "run_id",
            "called_at",
            "actor",
            "operation",
            "sent_birth_name",
            "sent_first_name",
            "sent_sex",
            "sent_birth_date",
            "sent_birthplace",
            "sent_birth_rank",
            "cr",
            "returned_matricule",
            "returned_oid",
            "outcome",
            "rules",
            "error_code",
            "error_permanent",
            "duration_ms",
        ]
