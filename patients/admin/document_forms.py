"""Forms of the document check (RNIV ID-01 to ID-09) and of a refusal to show a document (ST-10)."""

from typing import Any

from django import forms
from django.conf import settings

from identity_registry.inputs import DOCUMENT_EXPIRY_RANGE, DOCUMENT_NUMBER_MAX_LENGTH, REASON_MAX_LENGTH
from patients.admin.dates import TypedDateField, typable_date
from patients.admin.forms import VisibleNamesMixin, autofocus_first, version_field
from patients.documents import DOCUMENT_CONTEXT_LABELS, DOCUMENT_TYPE_LABELS, DocumentContext
from patients.models import Patient


class DocumentCheckForm(VisibleNamesMixin, forms.Form):
    """RNIV ID-01 to ID-08: the document the agent has in hand."""

    document_type = forms.ChoiceField(
        label="Type de justificatif",
        choices=[("", "— Choisir —"), *((k.value, v) for k, v in DOCUMENT_TYPE_LABELS.items())],
    )
    issuing_country = forms.CharField(
        label="Pays émetteur",
        max_length=2,
        initial="FR",
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
        help_text="Code ISO 3166 à deux lettres : FR, DE, MA…",
    )
    is_copy = forms.TypedChoiceField(
        label="Présentation",
        choices=[("original", "Original"), ("copy", "Copie")],
        coerce=lambda value: value == "copy",
        initial="original",
        widget=forms.RadioSelect,
        help_text="Seul l'original est accepté, sauf copie faite par un établissement médico-social (règle ID-04).",
    )
    context = forms.ChoiceField(
        label="Contexte",
        choices=[(k.value, v) for k, v in DOCUMENT_CONTEXT_LABELS.items()],
        initial=DocumentContext.STANDARD.value,
    )
    document_number = forms.CharField(
        label="Numéro du justificatif",
        required=False,
        max_length=DOCUMENT_NUMBER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 20, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Facultatif. Un même justificatif (type et numéro) n'est enregistré qu'une fois pour une identité.",
    )
    expires_on = TypedDateField(
        label="Date d'expiration",
        required=False,
        widget=typable_date(),
        validators=[DOCUMENT_EXPIRY_RANGE],
        help_text="Facultatif. Un justificatif expiré reste valable (règle ID-03).",
    )
    traits_confirmed = forms.BooleanField(
        label="Les traits sont conformes au justificatif",
        required=False,
        help_text="Comparez chaque trait strict affiché ci-dessus au justificatif. Obligatoire pour qu'un "
        "justificatif à haut niveau de confiance valide l'identité (règle ID-01).",
    )
    scan = forms.FileField(
        label="Copie numérisée",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text="Facultatif : PDF, JPEG ou PNG (le contenu est vérifié), 5 Mo au plus. Conservée hors des "
        "fichiers publics, puis supprimée après la durée de conservation (règle ID-09).",
    )
    reason = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = patient.version
        max_mb = settings.ID_SCAN_MAX_BYTES / (1024 * 1024)
        self.fields["scan"].help_text = self.fields["scan"].help_text.replace("5 Mo", f"{max_mb:.0f} Mo")
        autofocus_first(self, list(self.fields))


class DocumentDeclinedForm(VisibleNamesMixin, forms.Form):
    """RNIV ST-10: the person declines to show an identity document."""

    reason = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Facultatif : circonstances du refus. Conservé dans l'historique.",
    )
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = patient.version
