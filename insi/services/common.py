"""What every INSi service shares: the outcome, the local traits, the 412 of a racing change, the proposals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from identity_registry.exceptions import InvalidTransition, PreconditionFailed
from identity_registry.history import stamp_history
from insi import reasons
from insi.client import ReturnedIdentity
from insi.matching import Difference, LocalTraits, PrecheckRefused, Retry, Sendable, precheck, valid_history
from insi.models import InsiCall, InsiProposal
from patients.models import Patient

CHANGED_DURING_CALL = "L'identité a été modifiée pendant l'appel à INSi : relancez l'interrogation."


# Item 10: the outcome in words comes first; "00" alone reads as a success even for a discordance.
HEADLINES = {
    "MATCH": "Identité trouvée : INS récupérée",
    "NEEDS_DECISION": "Identité trouvée avec des différences : décision d'un référent requise",
    "DISCORDANT": "Discordance : l'INS n'est pas récupérée",
    # TR-10, TR-12: the matricule INSi returned can never be an INS (bad key, NIR form).
    "INS_REFUSED": "Matricule INS renvoyé refusé : l'INS n'est pas récupérée",
    "NOT_FOUND": "Aucune identité trouvée",
    "MULTIPLE": "Plusieurs identités trouvées",
    "VERIFIED": "INS vérifiée à l'identique",
    "CHANGED": "Vérification en échec : l'INS est retirée",
}
# Issue 12: a concordant identity is retrieved only once the agent has compared it with the document.
TO_CONFIRM_HEADLINE = "Identité trouvée : à comparer au justificatif avant de récupérer l'INS"


@dataclass(frozen=True)
class InsiOutcome:
    """What an INSi action ended with, for the screen and the API."""

    outcome: str
    cr: str
    patient: Patient
    message: str
    identity: ReturnedIdentity | None = None
    differences: tuple[Difference, ...] = ()
    retries: tuple[Retry, ...] = ()
    proposal: InsiProposal | None = None
    calls: tuple[InsiCall, ...] = ()
    warnings: tuple[str, ...] = ()
    # Issue 12: the call whose answer decided, and whether a MATCH waits for the agent's confirmation.
    deciding_call: InsiCall | None = None
    to_confirm: bool = False

    @property
    def headline(self) -> str:
        """The outcome in words, for the agent: what happened to the INS, before any code."""
        if self.to_confirm:
            return TO_CONFIRM_HEADLINE
        return HEADLINES[str(self.outcome)]


def fetch_patient(patient: Patient | int) -> Patient:
    return Patient.objects.get(pk=patient.pk if isinstance(patient, Patient) else patient)


def local_traits(patient: Patient) -> LocalTraits:
    return LocalTraits(
        birth_name=patient.birth_name,
        first_name=patient.first_name,
        first_names=patient.first_names,
        sex=patient.sex,
        birth_date=patient.birth_date,
        birthplace_cog=patient.birthplace_cog,
        doubtful=patient.doubtful,
        fictitious=patient.fictitious,
    )


def checked_traits(patient: Patient) -> Sendable:
    """Run the local pre-checks (ST-03, TR-01, TR-03) or refuse before any call."""
    try:
        return precheck(local_traits(patient))
    except PrecheckRefused as exc:
        raise InvalidTransition(exc.message, code=exc.rule) from exc


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@contextmanager
def changed_during_call() -> Iterator[None]:
    """Say that the identity changed while INSi was called: the calls ran on an older version (412)."""
    try:
        yield
    except PreconditionFailed as exc:
        raise PreconditionFailed(CHANGED_DURING_CALL, details=exc.details) from exc


def supersede_pending(*, actor: Any, patient: Patient) -> None:
    """Close the pending proposal of the patient: a newer call replaces it."""
    for proposal in InsiProposal.objects.select_for_update().filter(patient=patient, state=InsiProposal.State.PENDING):
        proposal.state = InsiProposal.State.SUPERSEDED
        stamp_history(proposal, actor=actor, reason_code=reasons.PROPOSAL_SUPERSEDED)
        proposal.save()


@transaction.atomic
def create_proposal(
    *,
    actor: Any,
    patient: Patient,
    kind: str,
    call: InsiCall | None,
    identity: ReturnedIdentity | None,
    differences: tuple[Difference, ...],
    reason: str,
    reason_code: str,
) -> InsiProposal:
    """Keep a returned identity for a referent's decision; the identity itself does not change."""
    supersede_pending(actor=actor, patient=patient)
    traits = identity.traits if identity else None
    proposal = InsiProposal(
        patient=patient,
        kind=kind,
        call=call,
        patient_version=patient.version,
        matricule=identity.ins.matricule if identity else "",
        oid=identity.ins.oid if identity else "",
        birth_name=traits.birth_name if traits else "",
        first_name=traits.first_name if traits else "",
        first_names=traits.first_names if traits else "",
        sex=traits.sex if traits else "",
        birth_date=parse_date(traits.birth_date) if traits else None,
        birthplace_cog=traits.birthplace_cog if traits else "",
        # RNIV INSI-09, TR-10: the earlier matricules kept for the decision, only those with a valid key.
        earlier=[
            {"matricule": h.matricule, "oid": h.oid, "valid_from": h.valid_from, "valid_until": h.valid_until}
            for h in (valid_history(identity.history) if identity else ())
        ],
        differences=[difference_dict(d) for d in differences],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp_history(proposal, actor=actor, reason_code=reason_code, reason=reason)
    proposal.save()
    return proposal


def difference_dict(difference: Difference) -> dict[str, str]:
    return {
        "trait": difference.trait,
        "local": difference.local,
        "returned": difference.returned,
        "rule": difference.rule,
        "severity": difference.severity.value,
        "explanation": difference.explanation,
    }
