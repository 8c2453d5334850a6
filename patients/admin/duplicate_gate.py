"""The duplicate check before saving an identity on screen (RNIV ST-11, AUD-05).

Before a creation, or a change of a strict trait, the agent sees the identities that may be the same
person, with their score and the traits that differ, and can open one instead. Saving anyway needs an
explicit confirmation and a reason, which goes into the identity's history.

``DuplicateGateMixin`` wraps the identity form: it runs before the form's own validation (and so before
any service writes) and keeps the candidates on the form for the template
``admin/patients/patient/duplicate_candidates.html``. ``record_confirmed_duplicates`` is called by the
view once the identity is saved.
"""

from typing import Any

from django import forms

from identity_registry.exceptions import ApplicationError
from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.scoring import CLASS_LABELS, Outcome
from patients.duplicates.selectors import FINGERPRINT_FIELDS, Candidate, duplicate_candidates, identity_values
from patients.duplicates.services import duplicate_record_suspected
from patients.models import Patient
from patients.services.identity import clean_traits

CHECKED_FIELDS = (*FINGERPRINT_FIELDS, "used_name")
CONFIRM_LABEL = "Il s'agit d'une autre personne : enregistrer quand même"
BLOCKED_MESSAGE = (
    "Cette identité ressemble à une identité déjà enregistrée : ouvrez-la plutôt, ou confirmez qu'il s'agit "
    "d'une autre personne en indiquant un motif (règle ST-11)."
)
REASON_MESSAGE = "Indiquez le motif pour lequel l'identité est enregistrée malgré le doublon potentiel."


def proposed_values(form: forms.BaseForm) -> dict[str, Any] | None:
    """The normalised traits the form would save, or None when the service will refuse them anyway."""
    typed = {
        name: form.cleaned_data[name]
        for name in CHECKED_FIELDS
        if name in form.fields and not form.fields[name].disabled and name in form.cleaned_data
    }
    if not form.instance.pk and not (typed.get("first_names") or "").strip():
        typed["first_names"] = typed.get("first_name", "")  # as patient_create does (TR-01)
    try:
        clean, _ = clean_traits(typed)
    except ApplicationError:
        return None
    if form.instance.pk:
        return identity_values(form.instance, clean)
    return clean


def strict_change(form: forms.BaseForm, values: dict[str, Any]) -> bool:
    return any(getattr(form.instance, name) != values.get(name) for name in FINGERPRINT_FIELDS if name in values)


def describe(candidate: Candidate) -> dict[str, Any]:
    """What the template shows for one candidate: score, class, and each trait compared (in French)."""
    match = candidate.match
    return {
        "patient": candidate.patient,
        "score": round(match.score * 100),
        "label": CLASS_LABELS.get(match.match_class, ""),
        "same": [c.label for c in match.comparisons if not c.differs and c.outcome != Outcome.UNKNOWN],
        "different": [c.label for c in match.comparisons if c.differs],
        "unknown": [c.label for c in match.comparisons if c.outcome == Outcome.UNKNOWN],
    }


class DuplicateGateMixin(forms.Form):
    """Stop the identity form when a duplicate is likely and the agent has not confirmed with a reason."""

    duplicate_confirmed = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    duplicate_candidates: list[Candidate] | tuple = ()

    def _post_clean(self) -> None:
        self.duplicate_candidates = []
        if not self._errors and self._duplicate_blocks():
            return
        super()._post_clean()

    def _duplicate_blocks(self) -> bool:
        values = proposed_values(self)
        if values is None or (self.instance.pk and not strict_change(self, values)):
            return False
        exclude = self.instance if self.instance.pk else None
        self.duplicate_candidates = duplicate_candidates(values=values, exclude=exclude)
        if not self.duplicate_candidates:
            return False
        if not self.cleaned_data.get("duplicate_confirmed"):
            self.add_error(None, BLOCKED_MESSAGE)
            return True
        if not (self.cleaned_data.get("reason") or "").strip():
            self.add_error("reason", REASON_MESSAGE)
            return True
        return False

    def described_candidates(self) -> list[dict[str, Any]]:
        return [describe(c) for c in self.duplicate_candidates]


def record_confirmed_duplicates(*, actor: Any, form: forms.BaseForm, patient: Patient, created: bool) -> None:
    """Once saved anyway, record each candidate as a suspected pair for the referent (HOMD on both)."""
    candidates = getattr(form, "duplicate_candidates", [])
    if candidates:
        source = DuplicateCandidate.Source.CREATE if created else DuplicateCandidate.Source.UPDATE
        duplicate_record_suspected(actor=actor, patient=patient, candidates=candidates, source=source)
