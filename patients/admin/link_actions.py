"""Action pages of issue 9 on the identity screen: merge and unmerge (AUD-05), identifiers of other systems."""

from typing import Any

from django import forms
from django.contrib import messages

from patients.admin.actions import IdentityAction, Outcome
from patients.admin.forms import VisibleNamesMixin, autofocus_first, version_field
from patients.ipp import looks_like_ipp
from patients.links import ExternalIdentifier, IdentifierAuthority
from patients.models import Patient
from patients.services import identifier_add, identifier_remove, patient_merge, patient_unmerge

REASON_WIDGET = {"rows": 3, "cols": 60}


class MergeForm(VisibleNamesMixin, forms.Form):
    """RNIV AUD-05: which duplicate is merged into this identity, and why."""

    duplicate_ipp = forms.CharField(
        label="IPP de l'identité en doublon",
        max_length=20,
        help_text="Elle sera désactivée et pointera vers l'identité affichée ; ses justificatifs, identifiants, "
        "INS antérieures, épisodes et consentements seront rattachés à celle-ci.",
    )
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs=REASON_WIDGET), help_text="Obligatoire.")
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, ["duplicate_ipp"])

    def clean_duplicate_ipp(self) -> Patient:
        ipp = looks_like_ipp(self.cleaned_data["duplicate_ipp"])
        duplicate = Patient.objects.filter(ipp=ipp).first() if ipp else None
        if duplicate is None:
            raise forms.ValidationError("Aucune identité ne porte cet IPP (vérifiez les chiffres et la clé).")
        if duplicate.pk == self.patient.pk:
            raise forms.ValidationError("C'est l'IPP de l'identité affichée : indiquez celui du doublon.")
        return duplicate


class UnmergeForm(VisibleNamesMixin, forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs=REASON_WIDGET), help_text="Obligatoire.")

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autofocus_first(self, ["reason"])


class IdentifierAddForm(VisibleNamesMixin, forms.Form):
    authority = forms.ModelChoiceField(
        label="Autorité d'affectation", queryset=IdentifierAuthority.objects.all(), empty_label="— choisir —"
    )
    value = forms.CharField(label="Identifiant", max_length=100)
    reason = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs=REASON_WIDGET))
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, ["authority"])


class IdentifierRemoveForm(VisibleNamesMixin, forms.Form):
    identifier = forms.ModelChoiceField(label="Identifiant à retirer", queryset=ExternalIdentifier.objects.none())
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs=REASON_WIDGET), help_text="Obligatoire.")
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identifier"].queryset = patient.external_identifiers.select_related("authority")
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, ["identifier"])


def merge(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = patient_merge(
        actor=actor,
        survivor=patient.pk,
        merged=data["duplicate_ipp"].pk,
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    done = f"L'identité IPP {result.merged.ipp} a été fusionnée dans celle-ci (règle AUD-05)."
    return [(messages.SUCCESS, done), *((messages.WARNING, w) for w in result.warnings)]


def unmerge(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = patient_unmerge(actor=actor, merged=patient.pk, reason=data["reason"])
    return [(messages.SUCCESS, f"Fusion défaite : l'identité est rétablie, séparée de l'IPP {result.survivor.ipp}.")]


def add_identifier(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    result = identifier_add(
        actor=actor,
        patient=patient.pk,
        authority=data["authority"],
        value=data["value"],
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    return [(messages.SUCCESS, f"Identifiant ajouté : {result.identifier}.")]


def remove_identifier(*, actor: Any, patient: Patient, data: dict[str, Any]) -> Outcome:
    identifier = data["identifier"]
    identifier_remove(
        actor=actor,
        patient=patient.pk,
        identifier=identifier.pk,
        reason=data["reason"],
        expected_version=data["read_version"],
    )
    return [(messages.SUCCESS, f"Identifiant retiré : {identifier}.")]


def _active(patient: Patient) -> bool:
    return patient.merged_into_id is None


LINK_ACTIONS = (
    IdentityAction(
        slug="ajouter-identifiant",
        label="Ajouter un identifiant externe",
        permission="patients.change_patient",
        title="Ajouter un identifiant externe",
        intro="Identifiant attribué par un autre système (autre établissement du GHT, ancien logiciel) : "
        "une même valeur d'une autorité ne peut être portée que par une seule identité active.",
        submit="Ajouter",
        form=IdentifierAddForm,
        perform=add_identifier,
        when=_active,
    ),
    IdentityAction(
        slug="retirer-identifiant",
        label="Retirer un identifiant externe",
        permission="patients.change_patient",
        title="Retirer un identifiant externe",
        intro="Le retrait est tracé dans l'historique avec son motif.",
        submit="Retirer",
        form=IdentifierRemoveForm,
        perform=remove_identifier,
        when=lambda patient: _active(patient) and patient.external_identifiers.exists(),
    ),
    IdentityAction(
        slug="fusionner",
        label="Fusionner un doublon ici",
        permission="patients.merge_identity",
        title="Fusionner un doublon dans cette identité",
        intro="L'identité affichée est conservée. Si les deux identités portent une INS, seule une même INS "
        "peut subsister (règle ST-11). La fusion peut être défaite (règle AUD-05).",
        submit="Fusionner",
        form=MergeForm,
        perform=merge,
        css="deletelink",
        when=_active,
    ),
    IdentityAction(
        slug="defusionner",
        label="Défusionner",
        permission="patients.merge_identity",
        title="Défaire la fusion de cette identité",
        intro="Les deux identités sont rétablies telles qu'avant la fusion : traits, statut, justificatifs, "
        "identifiants et consentements (règle AUD-05).",
        submit="Défusionner",
        form=UnmergeForm,
        perform=unmerge,
        css="deletelink",
        when=lambda patient: not _active(patient),
    ),
)
