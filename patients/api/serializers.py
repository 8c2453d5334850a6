"""Input and output shapes of the patients API (English field names, RULES codes for statuses)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from identity_registry.api.fields import birth_date_field, document_expiry_field
from identity_registry.api.serializers import SharedOutput, StrictInput
from identity_registry.inputs import ADDRESS_MAX_LENGTH, DOCUMENT_NUMBER_MAX_LENGTH, REASON_MAX_LENGTH
from patients.api.choices import (
    ATTRIBUTE_CHOICES,
    ATTRIBUTE_INPUT_CHOICES,
    ATTRIBUTE_OPERATION_CHOICES,
    COLLECTION_METHOD_CHOICES,
    DOCUMENT_CONTEXT_CHOICES,
    DOCUMENT_TYPE_CHOICES,
    HISTORY_SUBJECT_CHOICES,
    STATUS_CHOICES,
)
from patients.birthplaces import birthplace_name
from patients.inline_identifiers import identifiers_of
from patients.ins import INS_OIDS
from patients.ipp import is_valid_ipp
from patients.models import Patient, Sex
from patients.selectors import looks_like_ins
from patients.status import ATTRIBUTE_LABELS, ins_shareable


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, trim_whitespace=False, **kwargs)


class TraitsInput(StrictInput):
    # RNIV TR-01 strict traits; TR-03 normalisation happens in the service, which returns warnings.
    birth_name = _text(100)
    first_name = _text(100)
    first_names = _text(255, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    # The bounds (1900-01-01 to today) and TR-07 are judged by the service with the other traits: one 400 names
    # every field in error (issue 8 item 12).
    birth_date = serializers.DateField(help_text="From 1900-01-01 to today; TR-07 fixes the estimated parts.")
    birth_day_estimated = serializers.BooleanField(required=False, default=False)
    birth_month_estimated = serializers.BooleanField(required=False, default=False)
    birth_year_estimated = serializers.BooleanField(required=False, default=False)
    birthplace_cog = _text(5, required=False, allow_blank=True)
    # RNIV TR-02 additional traits.
    used_name = _text(100, required=False, allow_blank=True)
    used_first_name = _text(100, required=False, allow_blank=True)
    address = _text(ADDRESS_MAX_LENGTH, required=False, allow_blank=True)
    phone = _text(30, required=False, allow_blank=True)
    email = _text(254, required=False, allow_blank=True)
    to_regularise = serializers.BooleanField(required=False, default=False)
    reason = _text(REASON_MAX_LENGTH, required=False, allow_blank=True)


class PatientCreateInput(TraitsInput):
    collection_method = serializers.ChoiceField(choices=COLLECTION_METHOD_CHOICES, required=False)


class PatientUpdateInput(TraitsInput):
    """Every trait is optional: only those sent are changed (used with ``partial=True``)."""


class PatientSearchInput(StrictInput):
    q = _text(200, required=False, allow_blank=True, help_text="Free text, as in the screen's search box (TR-05).")
    name = _text(100, required=False, allow_blank=True, help_text="Birth or used name (TR-05).")
    first_name = _text(100, required=False, allow_blank=True)
    ins = _text(30, required=False, allow_blank=True, help_text="Matricule INS, 15 characters.")
    ipp = _text(
        20,
        required=False,
        allow_blank=True,
        help_text="Exact IPP. The IPP of a merged identity finds its survivor (AUD-05).",
    )
    identifier = _text(
        64, required=False, allow_blank=True, help_text="Exact value of an identifier of another system."
    )
    authority = _text(30, required=False, allow_blank=True, help_text="With `identifier`: the authority's code.")
    birth_date = birth_date_field(required=False)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False)

    def validate_ins(self, value: str) -> str:
        if value.strip() and not looks_like_ins(value):
            raise serializers.ValidationError("Le matricule INS compte 15 caractères (chiffres, 2A/2B admis).")
        return value

    def validate_ipp(self, value: str) -> str:
        if value.strip() and not is_valid_ipp(value):
            raise serializers.ValidationError("IPP invalide : des chiffres, dont le dernier est la clé de contrôle.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("authority", "").strip() and not attrs.get("identifier", "").strip():
            raise serializers.ValidationError({"identifier": ["Indiquez la valeur de l'identifiant recherché."]})
        if not any(str(value).strip() for value in attrs.values() if value is not None):
            raise serializers.ValidationError({"q": ["Indiquez au moins un critère de recherche."]})
        return attrs


class ValidateDocumentInput(StrictInput):
    document_type = serializers.ChoiceField(choices=DOCUMENT_TYPE_CHOICES)
    issuing_country = _text(2, help_text="ISO 3166 alpha-2 code, e.g. FR.")
    is_copy = serializers.BooleanField(required=False, default=False)
    context = serializers.ChoiceField(choices=DOCUMENT_CONTEXT_CHOICES, required=False)
    expires_on = document_expiry_field(required=False, allow_null=True)
    document_number = _text(
        DOCUMENT_NUMBER_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Optional. Letters and digits (spaces and hyphens are dropped). The same document (type, "
        "country, number) is recorded once per identity: 409 DOCUMENT_ALREADY_RECORDED.",
    )
    traits_confirmed = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The agent compared every strict trait with the document. false refuses a high-trust document "
        "(400); omitted, the calling software attests the comparison was made.",
    )
    reason = _text(REASON_MAX_LENGTH, required=False, allow_blank=True)


class DocumentDeclinedInput(StrictInput):
    reason = _text(REASON_MAX_LENGTH, required=False, allow_blank=True)


class ScanUploadInput(StrictInput):
    scan = serializers.FileField(
        help_text="The scan: a PDF, JPEG or PNG (checked by content), at most ID_SCAN_MAX_BYTES (5 MB by default)."
    )
    reason = _text(REASON_MAX_LENGTH, required=False, allow_blank=True)


class AttributeInput(StrictInput):
    attribute = serializers.ChoiceField(choices=ATTRIBUTE_INPUT_CHOICES)
    operation = serializers.ChoiceField(choices=ATTRIBUTE_OPERATION_CHOICES)
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory justification (ST-02).")


class DowngradeInput(StrictInput):
    withdraw_ins = serializers.BooleanField(required=False, default=False)
    withdraw_document = serializers.BooleanField(required=False, default=False)
    reason = _text(REASON_MAX_LENGTH, help_text="Mandatory justification (ST-06).")


class InsOutput(serializers.Serializer):
    matricule = serializers.CharField()
    oid = serializers.CharField()
    kind = serializers.CharField(help_text="INS-NIR or INS-NIA, told apart by the OID (TR-10).")


class AttributeOutput(serializers.Serializer):
    code = serializers.ChoiceField(choices=ATTRIBUTE_CHOICES)
    label = serializers.CharField()


class PatientRefOutput(SharedOutput):
    """Another identity, by its ids only."""

    id = serializers.UUIDField(source="public_id")
    ipp = serializers.CharField()


class ExternalIdentifierListOutput(serializers.ListSerializer):
    def get_attribute(self, instance: Any) -> Any:
        # Issue 10: read with the identity (one query) when the selector could; the relation otherwise.
        return identifiers_of(instance)


class ExternalIdentifierOutput(SharedOutput):
    id = serializers.IntegerField(help_text="Send it to the remove action.")
    authority = serializers.CharField(source="authority.code", help_text="The assigning authority's code.")
    authority_label = serializers.CharField(source="authority.label")
    authority_oid = serializers.CharField(source="authority.oid")
    value = serializers.CharField()
    added_at = serializers.DateTimeField()

    class Meta:
        list_serializer_class = ExternalIdentifierListOutput


class PatientOutput(SharedOutput):
    id = serializers.UUIDField(source="public_id")
    ipp = serializers.CharField(help_text="The registry's permanent local number (IPP): digits, the last a Luhn key.")
    merged_into = PatientRefOutput(
        allow_null=True,
        help_text="AUD-05: set on a merged (inactive) identity; the survivor to use instead.",
    )
    identifiers = ExternalIdentifierOutput(
        source="external_identifiers.all", many=True, help_text="Identifiers given by other systems."
    )
    version = serializers.IntegerField(help_text="Also sent as the ETag; send it back in If-Match to write.")
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    status_label = serializers.CharField()
    attributes = serializers.SerializerMethodField()
    ins = serializers.SerializerMethodField()
    ins_shareable = serializers.SerializerMethodField()
    strict_traits_locked = serializers.BooleanField(help_text="ST-05: strict traits come from INSi.")
    birth_name = serializers.CharField()
    first_name = serializers.CharField()
    first_names = serializers.CharField()
    sex = serializers.CharField()
    birth_date = birth_date_field()
    birth_day_estimated = serializers.BooleanField()
    birth_month_estimated = serializers.BooleanField()
    birth_year_estimated = serializers.BooleanField()
    birthplace_cog = serializers.CharField()
    birthplace_name = serializers.SerializerMethodField()
    used_name = serializers.CharField()
    used_first_name = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    to_regularise = serializers.BooleanField()
    collection_method = serializers.CharField()
    ins_verified_at = serializers.DateTimeField(allow_null=True)
    document_checked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(AttributeOutput(many=True))
    def get_attributes(self, patient: Patient) -> list[dict[str, str]]:
        return [{"code": a.value, "label": ATTRIBUTE_LABELS[a]} for a in sorted(patient.attributes)]

    @extend_schema_field(InsOutput(allow_null=True))
    def get_ins(self, patient: Patient) -> dict[str, str] | None:
        if not patient.ins_matricule or not patient.ins_oid:
            return None
        return {"matricule": patient.ins_matricule, "oid": patient.ins_oid, "kind": INS_OIDS[patient.ins_oid]}

    @extend_schema_field(
        serializers.CharField(
            help_text=(
                "Read only, TR-06: the birthplace's French name as the INSEE COG gave it on the birth date, with "
                "its département ('Clermont-Ferrand (63)') or '(étranger)' for a country (99xxx); empty when "
                "birthplace_cog is empty or unknown to the referential."
            )
        )
    )
    def get_birthplace_name(self, patient: Patient) -> str:
        return birthplace_name(patient.birthplace_cog, patient.birth_date)

    @extend_schema_field(serializers.BooleanField(help_text="RNIV ST-04: the INS may be shared only when QUAL."))
    def get_ins_shareable(self, patient: Patient) -> bool:
        return bool(patient.ins_matricule) and ins_shareable(patient.status)


class PatientWriteOutput(SharedOutput):
    patient = PatientOutput()
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="Shown to the agent: e.g. TR-03 transliterations, ST-07."
    )
    changed_fields = serializers.ListField(child=serializers.CharField())


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="The document's number in the registry (for its scan).")
    document_type = serializers.ChoiceField(choices=DOCUMENT_TYPE_CHOICES)
    issuing_country = serializers.CharField()
    is_copy = serializers.BooleanField()
    context = serializers.ChoiceField(choices=DOCUMENT_CONTEXT_CHOICES)
    expires_on = serializers.DateField(allow_null=True)
    checked_at = serializers.DateTimeField()
    can_validate = serializers.BooleanField()
    rule = serializers.CharField(help_text="The ID rule applied (ID-01 to ID-08).")
    refusal_reason = serializers.CharField(help_text="Why the document cannot validate, in French.")
    document_number = serializers.CharField(help_text="Normalised: upper case, no spaces or hyphens; may be empty.")
    traits_confirmed = serializers.BooleanField(allow_null=True)
    has_scan = serializers.SerializerMethodField(help_text="A scan is kept (GET .../scan/ to read it, logged).")
    scan_purged_at = serializers.DateTimeField(allow_null=True, help_text="When the scan was purged (ID-09).")

    def get_has_scan(self, document: Any) -> bool:
        return bool(document.scan)


class DocumentDeclinedOutput(serializers.Serializer):
    recorded_at = serializers.DateTimeField()
    reason = serializers.CharField()


class DocumentWriteOutput(PatientWriteOutput):
    document = DocumentOutput()


class FieldChangeOutput(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntryOutput(serializers.Serializer):
    subject = serializers.ChoiceField(choices=HISTORY_SUBJECT_CHOICES, help_text="What changed.")
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True, help_text="Username of who made the change.")
    change_type = serializers.CharField(help_text="+ created, ~ changed, - deleted.")
    reason_code = serializers.CharField()
    reason = serializers.CharField(help_text="The written justification, when a rule asks for one.")
    version = serializers.IntegerField(allow_null=True, help_text="The identity's version after the change.")
    status = serializers.CharField(allow_null=True, help_text="The identity's status after the change.")
    changes = FieldChangeOutput(many=True)
