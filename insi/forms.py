"""Forms of the "Interroger INSi" screen (French labels; the services do the checks)."""

from django import forms

from identity_registry.forms import SafeTextFormMixin
from identity_registry.inputs import JUSTIFICATION_MAX_LENGTH


class DecisionForm(SafeTextFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accepter"), ("reject", "Rejeter")], widget=forms.HiddenInput)
    justification = forms.CharField(
        label="Justification",
        max_length=JUSTIFICATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Une justification est obligatoire (règle INSI-06)."},
    )


class VitaleForm(SafeTextFormMixin, forms.Form):
    # Agents copy the number as printed on the card, with its spaces ("2 75 12 63 220 749 74": 21 characters);
    # the service removes them.
    individual = forms.CharField(label="Numéro lu sur la carte Vitale (15 caractères)", max_length=30)
    birth_rank = forms.IntegerField(label="Rang de naissance", min_value=1, max_value=9, initial=1)
    # Issue 14 item 5: what the card gives for ContexteBAM/COUVERTURE (the service checks the formats).
    holder = forms.CharField(label="Numéro de l'assuré (ouvrant droit), si différent", max_length=30, required=False)
    regime = forms.CharField(label="Code grand régime (2 chiffres)", max_length=10, required=False)
    fund = forms.CharField(label="Code caisse (3 chiffres)", max_length=10, required=False)
    centre = forms.CharField(label="Code centre (4 chiffres)", max_length=10, required=False)
