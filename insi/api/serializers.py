"""Serializers of the INSi API: inputs are validated here, outcomes are rendered from the services' results."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from identity_registry.api.fields import UuidField
from identity_registry.api.serializers import StrictInput
from identity_registry.inputs import JUSTIFICATION_MAX_LENGTH
from insi.models import InsiCall, InsiProposal
from patients.api.choices import STATUS_CHOICES

# What each outcome of a search or verification means for the identity (French labels, as on the screens).
OUTCOME_CHOICES = [
    (
        "MATCH",
        "Identité concordante : l'INS est récupérée et les traits renvoyés remplacent les traits locaux (INSI-09)",
    ),
    (
        "NEEDS_DECISION",
        "Différences à arbitrer par un référent (INSI-06) : une proposition est créée, rien n'est modifié d'ici là",
    ),
    (
        "DISCORDANT",
        "Identité discordante (INSI-03, INSI-05, INSI-07) : rien n'est modifié, voir `differences` et `retries`",
    ),
    (
        "INS_REFUSED",
        "Matricule renvoyé refusé : clé invalide (TR-10), NIR provisoire d'un bénéficiaire de l'AME (TR-12) ou "
        "INS-C (TR-14) ; rien n'est modifié, aucune relance ni décision ne peut le récupérer",
    ),
    ("NOT_FOUND", "Aucune identité trouvée (code 01) : rien n'est modifié, voir `retries`"),
    (
        "MULTIPLE",
        "Plusieurs identités trouvées (code 02) après les relances automatiques (INSI-08) : rien n'est "
        "modifié, voir `retries`",
    ),
    ("VERIFIED", "Vérification : INS renvoyée à l'identique, date de vérification mise à jour (ST-08)"),
    (
        "CHANGED",
        "Vérification : INS modifiée ou introuvable ; l'INS est retirée et une proposition attend un référent (ST-08)",
    ),
]
CR_CHOICES = [
    ("00", "Une identité trouvée"),
    ("01", "Aucune identité trouvée"),
    ("02", "Plusieurs identités trouvées"),
]
SEVERITY_CHOICES = [
    ("TOLERATED", "Écart toléré (INSI-04) : la valeur renvoyée par INSi est retenue"),
    ("DECISION", "Écart à arbitrer par un référent (INSI-06)"),
    ("DISCORDANT", "Discordance : l'INS n'est pas récupérée"),
]
DECISION_CHOICES = [
    ("accept", "Accepter la proposition : l'INS est récupérée avec les traits renvoyés (INSI-06, INSI-09)"),
    ("reject", "Rejeter la proposition : l'identité ne change pas"),
]


class VitaleCardSerializer(StrictInput):
    # A number typed with its printed spaces ("2 75 12 63 220 749 74") is 21 characters: room for them.
    individual = serializers.CharField(required=False, allow_blank=True, max_length=30)
    holder = serializers.CharField(required=False, allow_blank=True, max_length=30)
    birth_rank = serializers.IntegerField(required=False, default=1, min_value=1, max_value=9)
    regime = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="Grand régime (2 digits)."
    )
    fund = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text="Caisse (3 digits).")
    centre = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text="Centre (4 digits).")


class SearchInputSerializer(StrictInput):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    vitale = VitaleCardSerializer(required=False, help_text="Search keyed by a carte Vitale (TR-11).")


class VerifyInputSerializer(StrictInput):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


# Named apart from the consent app's DMP access decisions: one schema component each.
@extend_schema_serializer(component_name="InsiDecisionInput")
class DecisionInputSerializer(StrictInput):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    justification = serializers.CharField(max_length=JUSTIFICATION_MAX_LENGTH, allow_blank=True)
    proposal_id = UuidField(required=False, help_text="Defaults to the patient's pending proposal.")


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
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES)
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
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    version = serializers.IntegerField()
    ins_history = EarlierInsSerializer(many=True, read_only=True, help_text="Earlier INS matricules (INSI-09).")


class CallSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cr = serializers.CharField()
    outcome = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES, help_text="What happened to the identity.")
    cr = serializers.ChoiceField(choices=CR_CHOICES, help_text="INSi result code (CR) of the deciding call.")
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
            "retry_of",
            "retry_kind",
        ]
