"""Forms of the identity screens. Each one hands the agent's input to a service, never writes itself."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from identity_registry.exceptions import ApplicationError
from identity_registry.forms import SafeTextFormMixin
from identity_registry.inputs import BIRTH_DATE_RANGE, DOCUMENT_EXPIRY_RANGE, REASON_MAX_LENGTH
from patients.admin.display import (
    ATTRIBUTES_REASON,
    INS_REASON,
    LOCKED_FLAG_REASON,
    LOCKED_TRAIT_REASON,
    STATUS_REASON,
)
from patients.documents import DOCUMENT_CONTEXT_LABELS, DOCUMENT_TYPE_LABELS, DocumentContext
from patients.models import Patient
from patients.services import (
    ADDITIONAL_TRAITS,
    STRICT_TRAITS,
    IdentityResult,
    patient_create,
    patient_update_traits,
)
from patients.status import ATTRIBUTE_LABELS, Attribute

TRAIT_FIELDS = (*STRICT_TRAITS, *ADDITIONAL_TRAITS)
NAME_FIELDS = ("birth_name", "first_name", "first_names", "used_name", "used_first_name")
DATE_FORMAT = "%d/%m/%Y"


def typable_date() -> forms.DateInput:
    """A plain text date input (JJ/MM/AAAA): typed at the keyboard, no calendar widget in the tab order."""
    return forms.DateInput(
        format=DATE_FORMAT, attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"}
    )


def trait_input() -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 40})


def add_service_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a refused service call as form errors: on the fields it names, or above the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    named = [name for name in details if name in form.fields and name in form.visible_names()]
    if not named:
        form.add_error(None, exc.message)
    for name in named:
        form.add_error(name, exc.message)


def version_field() -> forms.IntegerField:
    # Optimistic concurrency: a page read before someone else's change cannot overwrite it.
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def autofocus_first(form: forms.BaseForm, names: tuple[str, ...] | list[str]) -> None:
    for name in names:
        field = form.fields.get(name)
        if field is not None and not field.disabled and not field.widget.is_hidden:
            field.widget.attrs["autofocus"] = True
            return


class VisibleNamesMixin(SafeTextFormMixin):
    def visible_names(self) -> set[str]:
        return {name for name, field in self.fields.items() if not field.widget.is_hidden}


class PatientIdentityForm(VisibleNamesMixin, forms.ModelForm):
    """The identity form: validated and saved by ``patient_create`` / ``patient_update_traits``."""

    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Facultatif : pourquoi l'identité est créée ou modifiée. Conservé dans l'historique.",
    )
    read_version = version_field()

    actor: Any = None  # the agent, set by the admin for each request
    result: IdentityResult | None = None

    class Meta:
        model = Patient
        fields = TRAIT_FIELDS
        widgets = {
            "birth_name": trait_input(),
            "first_name": trait_input(),
            "first_names": trait_input(),
            "used_name": trait_input(),
            "used_first_name": trait_input(),
            "birth_date": typable_date(),
            "birthplace_cog": forms.TextInput(attrs={"size": 6, "autocomplete": "off"}),
            "address": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }
        help_texts = {
            "first_names": "Tous les prénoms de naissance, séparés par un espace, en commençant par le premier.",
            "birthplace_cog": "Code officiel géographique (5 caractères) ; 99999 si inconnu (règle TR-06).",
            "birth_date": "Saisie au clavier : JJ/MM/AAAA. Partie inconnue : cochez ce qui est estimé (règle TR-07).",
            "status_badge": STATUS_REASON,
            "ins_display": INS_REASON,
            "attributes_display": ATTRIBUTES_REASON,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "birth_date" in self.fields:  # issue 8 item 7: from 1900-01-01 to today
            self.fields["birth_date"].validators.append(BIRTH_DATE_RANGE)
        self.locked_fields: list[str] = []
        if self.instance.pk and self.instance.strict_traits_locked:
            for name in STRICT_TRAITS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    flag = isinstance(self.fields[name], forms.BooleanField)
                    self.fields[name].help_text = LOCKED_FLAG_REASON if flag else LOCKED_TRAIT_REASON
                    self.locked_fields.append(name)
        if "first_names" in self.fields and not self.instance.pk:
            self.fields["first_names"].required = False
            self.fields["first_names"].help_text += " Laissez vide s'il n'y a qu'un prénom."
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version
        autofocus_first(self, list(self.fields))

    def _post_clean(self) -> None:
        # The service is the validator (TR-01 to TR-09, ST-05, ST-07): model validation would only repeat
        # part of it before the rules run, so it is replaced by the service call itself. The admin view
        # wraps the request in a transaction; a refused call has already rolled back its own changes.
        if self._errors:
            return
        try:
            self.result = self._submit()
        except ApplicationError as exc:
            add_service_error(self, exc)

    def _submit(self) -> IdentityResult:
        values = {
            name: self.cleaned_data[name]
            for name in TRAIT_FIELDS
            if name in self.fields and not self.fields[name].disabled
        }
        reason = self.cleaned_data.get("reason", "")
        if not self.instance.pk:
            return patient_create(actor=self.actor, reason=reason, **values)
        values.update(self._posted_locked_values())
        return patient_update_traits(
            actor=self.actor,
            patient=self.instance.pk,
            changes=values,
            reason=reason,
            expected_version=self.cleaned_data.get("read_version"),
        )

    def _posted_locked_values(self) -> dict[str, Any]:
        """Values posted for locked traits (a page opened before the lock): the service refuses them (ST-05).

        Browsers never send a disabled input, so on an up-to-date page this is empty.
        """
        posted = {}
        for name in self.locked_fields:
            key = self.add_prefix(name)
            if key not in self.data:
                continue
            field = self.fields[name]
            try:
                posted[name] = field.clean(field.widget.value_from_datadict(self.data, self.files, key))
            except ValidationError:
                continue
        return posted

    def save(self, commit: bool = True) -> Patient:
        """Return the identity the service wrote during validation."""
        if self.result is None:
            raise ValueError("The identity form was not validated.")
        self.instance = self.result.patient
        self.save_m2m = lambda: None
        return self.instance

    def normalised_values(self) -> list[tuple[str, str, str]]:
        """(label, typed, stored) for each name the service rewrote (TR-03), to show the agent."""
        if self.result is None:
            return []
        shown = []
        for name in NAME_FIELDS:
            typed = self.cleaned_data.get(name)
            stored = getattr(self.result.patient, name)
            if name in self.fields and typed and typed != stored:
                shown.append((str(self.fields[name].label), typed, stored))
        return shown


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
    expires_on = forms.DateField(
        label="Date d'expiration",
        required=False,
        widget=typable_date(),
        validators=[DOCUMENT_EXPIRY_RANGE],
        help_text="Facultatif. Un justificatif expiré reste valable (règle ID-03).",
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
        autofocus_first(self, list(self.fields))


class AttributeForm(VisibleNamesMixin, forms.Form):
    """RNIV ST-02: an attribute and the mandatory reason."""

    attribute = forms.ChoiceField(label="Attribut", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Motif",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Obligatoire : conservé dans l'historique (règle ST-02).",
    )
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, clearing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = patient.attributes
        offered = [a for a in Attribute if (a in current) == clearing]
        self.fields["attribute"].choices = [(a.value, f"{a.value} · {ATTRIBUTE_LABELS[a]}") for a in offered]
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, list(self.fields))


class DowngradeForm(VisibleNamesMixin, forms.Form):
    """RNIV ST-06: what is withdrawn and why."""

    withdraw_ins = forms.BooleanField(label="Retirer l'INS récupérée (I)", required=False)
    withdraw_document = forms.BooleanField(label="Retirer la validation par justificatif (C)", required=False)
    reason = forms.CharField(
        label="Motif",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Obligatoire : homonyme, changement légal, incohérence découverte… (règle ST-06).",
    )
    read_version = version_field()

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdraw_ins"].initial = patient.ins_verified
        self.fields["withdraw_document"].initial = patient.document_checked
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, list(self.fields))
