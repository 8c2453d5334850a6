"""RNIV ST-07 on the identity form: a strict change that withdraws the validation is confirmed before saving.

Server-side (works without JS): the first submission of such a change saves nothing and comes back with the
warning, a mandatory reason and a confirmation box; the service saves only once both are given (issue 12).
"""

from typing import Any

from django import forms

from identity_registry.exceptions import ApplicationError
from patients.services import STRICT_TRAITS
from patients.services.identity import clean_traits
from patients.status import STATUS_LABELS, derive_status

CONFIRM_FIELD = "confirm_strict_change"
CONFIRM_LABEL = "Je confirme : l'identité perdra sa validation (règle ST-07)"


def confirm_field() -> forms.BooleanField:
    return forms.BooleanField(label=CONFIRM_LABEL, required=False)


def strict_changes_withdrawing(form: forms.ModelForm, traits: dict[str, Any]) -> list[str]:
    """The strict traits this submission changes on an identity whose validation (C) they would withdraw."""
    patient = form.instance
    if not patient.pk or not patient.document_checked:
        return []
    strict = {name: value for name, value in traits.items() if name in STRICT_TRAITS}
    try:
        # Compared as the service will store them (TR-03): "dupont" typed over "DUPONT" changes nothing.
        clean, _ = clean_traits(strict, current=patient, across_fields=False)
    except ApplicationError:
        return []
    return [name for name, value in clean.items() if getattr(patient, name) != value]


def require_st07_confirmation(form: forms.ModelForm, traits: dict[str, Any]) -> None:
    """Refuse the submission until the agent gave a reason and ticked the box (RNIV ST-07)."""
    changed = strict_changes_withdrawing(form, traits)
    if not changed or form.errors:
        return
    confirmed = form.cleaned_data.get(CONFIRM_FIELD)
    reason = (form.cleaned_data.get("reason") or "").strip()
    if confirmed and reason:
        return
    patient = form.instance
    after = derive_status(ins_verified=patient.ins_verified, document_checked=False, attributes=patient.attributes)
    labels = ", ".join(str(form.fields[name].label) if name in form.fields else name for name in changed)
    form.add_error(
        None,
        f"Attention, rien n'est encore enregistré : modifier {labels} retire la validation par justificatif. "
        f"L'identité passera au statut {after.value} ({STATUS_LABELS[after]}) et la pièce d'identité devra être "
        "contrôlée à nouveau (règle ST-07). Indiquez le motif et cochez la confirmation pour enregistrer.",
    )
    if not reason:
        form.add_error("reason", "Obligatoire pour modifier un trait strict d'une identité validée (règle ST-07).")
    if not confirmed:
        form.add_error(CONFIRM_FIELD, "Cochez la confirmation pour enregistrer la modification (règle ST-07).")
