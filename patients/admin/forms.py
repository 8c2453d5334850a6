"""Forms of the identity screens. Each one hands the agent's input to a service, never writes itself."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from identity_registry.exceptions import ApplicationError
from identity_registry.forms import SafeTextFormMixin
from identity_registry.inputs import DATAMATRIX_SCAN_MAX_LENGTH, REASON_MAX_LENGTH
from patients.admin.birthplace_field import BirthplaceField, resolve_birthplace
from patients.admin.dates import TypedDateField, typable_date
from patients.admin.display import (
    ATTRIBUTES_REASON,
    INS_REASON,
    LOCKED_FLAG_REASON,
    LOCKED_TRAIT_REASON,
    STATUS_REASON,
)
from patients.admin.strict_change import confirm_field, require_st07_confirmation
from patients.datamatrix import DatamatrixIdentity, DatamatrixRefused, read_datamatrix_text
from patients.ins import InsError, validate_ins
from patients.models import Patient
from patients.services import ADDITIONAL_TRAITS, STRICT_TRAITS, IdentityResult, check_traits
from patients.status import ATTRIBUTE_LABELS, Attribute

TRAIT_FIELDS = (*STRICT_TRAITS, *ADDITIONAL_TRAITS)
NAME_FIELDS = ("birth_name", "first_name", "first_names", "used_name", "used_first_name")
# Fields judged together by a rule (TR-01 first names, TR-07 birth date): checked only when all of them parse.
JOINED_FIELDS = (
    ("first_name", "first_names"),
    ("birth_date", "birth_day_estimated", "birth_month_estimated", "birth_year_estimated"),
)


def trait_input() -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 40})


def add_service_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a refused service call as form errors: each field's own message on it, the rest above the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    named = [name for name in details if name in form.fields and name in form.visible_names()]
    if not named or len(named) < len(details):
        form.add_error(None, exc.message)
    for name in named:
        texts = details[name] if isinstance(details[name], list) else [exc.message]
        for text in texts:
            form.add_error(name, text if isinstance(text, str) else exc.message)


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
    """The identity form: checks the traits with the services' rules and writes nothing.

    The admin view writes them after validation (``patient_create`` / ``patient_update_traits``), as the action
    pages do, and hands a refusal of the service back through ``refusal`` to show it on the form.
    """

    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Facultatif : pourquoi l'identité est créée ou modifiée. Conservé dans l'historique.",
    )
    read_version = version_field()
    # RNIV ST-07: ticked once the agent read that the strict change withdraws the validation (issue 12).
    confirm_strict_change = confirm_field()
    # RNIV DM-01 (reverse): what a scanner typed into the scan box above the form, copied here by its script.
    datamatrix_scan = forms.CharField(
        required=False, max_length=DATAMATRIX_SCAN_MAX_LENGTH, strip=False, widget=forms.HiddenInput()
    )
    # RNIV TR-06: found by name, stored as the COG valid on the birth date (issue 12).
    birthplace_cog = BirthplaceField(label="Lieu de naissance", required=False)

    refusal: ApplicationError | None = None  # set by the admin when the service refused this submission
    result: IdentityResult | None = None  # set by the admin once the service has written the identity

    class Meta:
        model = Patient
        fields = TRAIT_FIELDS
        # JJ/MM/AAAA or JJMMAAAA, never a two-digit year (issue 8 item 12).
        field_classes = {"birth_date": TypedDateField}
        widgets = {
            "birth_name": trait_input(),
            "first_name": trait_input(),
            "first_names": trait_input(),
            "used_name": trait_input(),
            "used_first_name": trait_input(),
            "birth_date": typable_date(),
            "address": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }
        labels = {"used_name": "Nom utilisé (nom d'usage)"}
        help_texts = {
            "used_name": "Trait complémentaire : le modifier ne change pas le statut de l'identité (règle TR-02).",
            "first_names": "Tous les prénoms de naissance, séparés par un espace, en commençant par le premier.",
            "birth_date": (
                "Saisie au clavier : JJ/MM/AAAA ou JJMMAAAA, l'année sur 4 chiffres. Partie inconnue (règle TR-07) : "
                "jour inconnu → le 1er, mois inconnu → janvier, date inconnue → 31/12 de l'année estimée ; "
                "cochez ce qui est estimé."
            ),
            "status_badge": STATUS_REASON,
            "ins_display": INS_REASON,
            "attributes_display": ATTRIBUTES_REASON,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        if "birthplace_cog" in self.fields:
            self.fields["birthplace_cog"].widget.birth_date = self.instance.birth_date if self.instance.pk else None
        # Most agents type: the cursor starts on the birth name; a scanner user clicks into the scan field.
        autofocus_first(self, [name for name in self.fields if name != "datamatrix_scan"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        field = self.fields.get("birthplace_cog")
        if field is not None and not field.disabled and "birthplace_cog" in cleaned:
            # The code valid on the birth date (a commune merged since keeps its former code), once the date is read.
            try:
                cleaned["birthplace_cog"] = resolve_birthplace(cleaned["birthplace_cog"], cleaned.get("birth_date"))
            except ValidationError as exc:
                self.add_error("birthplace_cog", exc)
        return cleaned

    def _post_clean(self) -> None:
        # The services' rules (TR-01 to TR-09) are the validator, run here without writing anything: model
        # validation would only repeat part of them. Every field that parsed is checked, so the agent sees all
        # errors at once, Django's and the rules'.
        try:
            check_traits(self._parsed_traits(), patient=self.instance if self.instance.pk else None)
        except ApplicationError as exc:
            add_service_error(self, exc)
        if self.refusal is not None:
            add_service_error(self, self.refusal)
        require_st07_confirmation(self, self._editable_traits())

    def clean_datamatrix_scan(self) -> DatamatrixIdentity | None:
        text = self.cleaned_data.get("datamatrix_scan", "")
        if not text.strip():
            return None
        try:
            read = read_datamatrix_text(text)
            validate_ins(read.matricule, read.oid)
        except DatamatrixRefused as exc:
            raise ValidationError(str(exc)) from exc
        except InsError as exc:
            raise ValidationError(f"INS du Datamatrix refusée : {exc.message}") from exc
        return read

    def scanned_identity(self) -> DatamatrixIdentity | None:
        """The Datamatrix read, when the traits saved are exactly the ones it carries (collection method CB)."""
        scanned = self.cleaned_data.get("datamatrix_scan")
        if scanned is None:
            return None
        typed = self.cleaned_data
        first_names = (typed.get("first_names") or typed.get("first_name") or "").strip().upper()
        same = (
            (typed.get("birth_name") or "").strip().upper() == scanned.birth_name
            and first_names == scanned.first_names
            and typed.get("sex") == scanned.sex
            and typed.get("birth_date") == scanned.birth_date
            and (typed.get("birthplace_cog") or "").strip().upper() == scanned.birthplace_cog
        )
        return scanned if same else None

    def _parsed_traits(self) -> dict[str, Any]:
        # A rule joining fields waits until all of them parse: "jour estimé" is judged on the date typed.
        values = self._editable_traits()
        for fields in JOINED_FIELDS:
            if any(name in self._errors for name in fields):
                for name in fields:
                    values.pop(name, None)
        return values

    def _editable_traits(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in TRAIT_FIELDS
            if name in self.fields and name in self.cleaned_data and not self.fields[name].disabled
        }

    def traits(self) -> dict[str, Any]:
        """The traits to hand to the service: the editable ones, and any posted for a locked trait."""
        return {**self._editable_traits(), **self._posted_locked_values()}

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
        raise NotImplementedError("The identity is written by patient_create / patient_update_traits, not the form.")

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
        # Issue 12: only what the identity holds is offered for withdrawal (RNIV ST-06).
        if not patient.ins_verified:
            del self.fields["withdraw_ins"]
        if not patient.document_checked:
            del self.fields["withdraw_document"]
        self.fields["read_version"].initial = patient.version
        autofocus_first(self, list(self.fields))
