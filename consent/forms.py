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
        self.patient = patient
        if "episode" in self.fields:
            episodes = CareEpisode.objects.filter(patient=patient)
            self.fields["episode"].queryset = episodes
            # Issue 12: with a single episode there is nothing to choose; it is preselected.
            only = list(episodes[:2])
            if len(only) == 1:
                self.fields["episode"].initial = only[0].pk
        if "professional" in self.fields:
            self.fields["professional"].queryset = Professional.objects.filter(is_active=True)
        for prefix in GIVER_PREFIXES:
            if f"{prefix}_name" in self.fields:
                # Issue 12: most often the patient answers for themselves; their name is filled in.
                self.fields[f"{prefix}_capacity"].initial = GiverCapacity.PATIENT
                self.fields[f"{prefix}_name"].initial = patient_display_name(patient)

    def clean(self):
        cleaned = super().clean()
        for prefix in GIVER_PREFIXES:
            name_field = f"{prefix}_name"
            if name_field not in self.fields or name_field in self.errors:
                continue
            if cleaned.get(name_field):
                continue
            if cleaned.get(f"{prefix}_capacity") == GiverCapacity.PATIENT:
                cleaned[name_field] = patient_display_name(self.patient)
            else:
                self.add_error(name_field, "Indiquez le nom de la personne qui répond pour le patient.")
        return cleaned


GIVER_PREFIXES = ("given_by", "expressed_by")


def patient_display_name(patient: Patient) -> str:
    """The patient's first name and birth name, as they answer for themselves."""
    return f"{patient.first_name} {patient.birth_name}".strip()


def _episode() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=CareEpisode.objects.none(), label="Épisode de soins")


def _giver() -> tuple[forms.ChoiceField, forms.CharField]:
    return (
        forms.ChoiceField(label="Qualité de la personne qui répond", choices=GiverCapacity.choices),
        forms.CharField(
            label="Nom de la personne qui répond",
            max_length=200,
            required=False,
            help_text="Rempli avec le nom du patient s'il répond lui-même.",
        ),
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
    # Issue 12: the row button only asks; the change happens once this is confirmed.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EndMembershipForm(PatientForm):
    target = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
