"""Forms of the per-patient consent page; they only collect input, the services decide."""

from django import forms

from consent.codes import (
    Channel,
    ConsentDecision,
    ConsentPurpose,
    EmergencyMode,
    EpisodeKind,
    GiverCapacity,
    LegalProtection,
    OppositionKind,
)
from consent.models import CareEpisode, Professional
from consent.services.access import JUSTIFICATION_REQUIRED
from identity_registry.forms import SafeTextFormMixin
from identity_registry.inputs import EVENT_RANGE, JUSTIFICATION_MAX_LENGTH, REASON_MAX_LENGTH
from patients.models import Patient


class PatientForm(SafeTextFormMixin, forms.Form):
    """A form bound to one patient: episode choices are that patient's."""

    def __init__(self, *args, patient: Patient, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "episode" in self.fields:
            self.fields["episode"].queryset = CareEpisode.objects.filter(patient=patient)
        if "professional" in self.fields:
            self.fields["professional"].queryset = Professional.objects.filter(is_active=True)


def _episode() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=CareEpisode.objects.none(), label="Épisode de soins")


def _giver() -> tuple[forms.ChoiceField, forms.CharField]:
    return (
        forms.ChoiceField(label="Qualité de la personne qui répond", choices=GiverCapacity.choices),
        forms.CharField(label="Nom de la personne qui répond", max_length=200),
    )


class EpisodeForm(PatientForm):
    unit = forms.CharField(label="Unité", max_length=100)
    kind = forms.ChoiceField(label="Nature", choices=EpisodeKind.choices)
    legal_protection = forms.ChoiceField(label="Mesure de protection", choices=LegalProtection.choices)
    started_at = forms.DateTimeField(label="Début (vide : maintenant)", required=False, validators=[EVENT_RANGE])


class TeamMemberForm(PatientForm):
    episode = _episode()
    professional = forms.ModelChoiceField(queryset=Professional.objects.none(), label="Professionnel")
    role = forms.CharField(label="Rôle dans la prise en charge", max_length=100)


class FeedingInformationForm(PatientForm):
    episode = _episode()
    given_by_capacity, given_by_name = _giver()
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices)


class ConsultationConsentForm(PatientForm):
    episode = _episode()
    purpose = forms.ChoiceField(
        label="Objet",
        choices=[(p.value, p.label) for p in (ConsentPurpose.CONSULTATION, ConsentPurpose.DELEGATION)],
    )
    decision = forms.ChoiceField(
        label="Réponse du patient",
        choices=[
            (d.value, d.label) for d in (ConsentDecision.INFORMED, ConsentDecision.GIVEN, ConsentDecision.REFUSED)
        ],
    )
    professional = forms.ModelChoiceField(
        queryset=Professional.objects.none(), label="Professionnel désigné (hors équipe)", required=False
    )
    given_by_capacity, given_by_name = _giver()
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices)


class OppositionForm(PatientForm):
    kind = forms.ChoiceField(label="Opposition", choices=OppositionKind.choices)
    expressed_by_capacity, expressed_by_name = _giver()
    reason = forms.CharField(
        label="Motif exprimé (facultatif)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea({"rows": 2}),
    )


class EmergencyForm(PatientForm):
    episode = _episode()
    professional = forms.ModelChoiceField(queryset=Professional.objects.none(), label="Professionnel")
    mode = forms.ChoiceField(label="Mode", choices=EmergencyMode.choices)
    # RULES CONS-05: the justification is mandatory; the service checks it again.
    justification = forms.CharField(
        label="Justification",
        max_length=JUSTIFICATION_MAX_LENGTH,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": JUSTIFICATION_REQUIRED},
    )
    patient_cannot_express = forms.BooleanField(
        label="Je certifie que le patient est hors d'état d'exprimer sa volonté", required=False
    )


class WithdrawForm(PatientForm):
    target = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Motif du retrait (facultatif)", required=False, max_length=REASON_MAX_LENGTH)


class CloseEpisodeForm(PatientForm):
    target = forms.IntegerField(widget=forms.HiddenInput)


class EndMembershipForm(PatientForm):
    target = forms.IntegerField(widget=forms.HiddenInput)
