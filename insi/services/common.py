"""What every INSi service shares: the call log writer (INSI-10), the outcome and the patient snapshot."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InsiUnavailable, InvalidTransition, PreconditionFailed
from identity_registry.history import stamp_history
from insi import reasons
from insi.client import (
    CR_MULTIPLE,
    TECHNICAL_ERROR_MESSAGE,
    InsiResult,
    InsiTechnicalError,
    ReturnedIdentity,
    TraitsQuery,
)
from insi.matching import Difference, LocalTraits, PrecheckRefused, Retry, Sendable, precheck, valid_history
from insi.models import InsiCall, InsiProposal
from patients.models import Patient

logger = logging.getLogger(__name__)


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


CALL_REASONS = {
    InsiCall.Operation.SEARCH_TRAITS: "Interrogation INSi par les traits depuis la fiche identité",
    InsiCall.Operation.SEARCH_VITALE: "Interrogation INSi avec la carte Vitale depuis la fiche identité",
    InsiCall.Operation.VERIFY: "Vérification de l'INS par appel au téléservice INSi",
}


@dataclass
class CallRecorder:
    """Write one InsiCall row per call, at once, outside the identity change (INSI-10, INSI-02)."""

    actor: Any
    patient: Patient
    operation: str
    reason: str = ""
    run_id: uuid.UUID = field(default_factory=uuid.uuid4)
    calls: list[InsiCall] = field(default_factory=list)

    def record(
        self,
        *,
        sent: dict[str, Any],
        started: float,
        called_at: Any,
        outcome: str,
        result: InsiResult | None = None,
        error: InsiTechnicalError | None = None,
        rules: str = "",
    ) -> InsiCall:
        identity = result.identity if result else None
        call = InsiCall(
            run_id=self.run_id,
            patient=self.patient,
            actor=self.actor if getattr(self.actor, "pk", None) else None,
            called_at=called_at,
            duration_ms=int((time.monotonic() - started) * 1000),
            operation=self.operation,
            cr=result.cr if result else "",
            returned_matricule=identity.ins.matricule[:15] if identity else "",
            returned_oid=identity.ins.oid[:32] if identity else "",
            outcome=outcome,
            rules=rules[:100],
            error_code=(error.code if error else "")[:40],
            error_detail=(error.detail if error else "")[:255],
            error_permanent=error.permanent if error else None,
            **sent,
        )
        # RNIV AUD-01, INSI-10: every call, whatever its answer, keeps a history row with the user and reason.
        stamp_history(
            call, actor=self.actor, reason_code=reasons.CALL_LOGGED, reason=self.reason or CALL_REASONS[self.operation]
        )
        # One commit for the row and its history: the log is durable at once, whatever happens next (INSI-02).
        with transaction.atomic():
            call.save()
        self.calls.append(call)
        return call

    def call(
        self, sent: dict[str, Any], do: Callable[[], InsiResult], judge: Callable[[InsiResult], tuple[str, str]]
    ) -> InsiResult:
        """Make one call through ``do``, log it with the outcome ``judge`` gives; failures raise InsiUnavailable."""
        started, called_at = time.monotonic(), timezone.now()
        try:
            result = do()
        except InsiTechnicalError as exc:
            # RNIV INSI-02: logged with its error; the identity is left untouched.
            self.record(sent=sent, started=started, called_at=called_at, outcome=InsiCall.Outcome.ERROR, error=exc)
            logger.warning("INSi call failed: %s (%s)", exc.code, "permanent" if exc.permanent else "temporary")
            raise InsiUnavailable(
                TECHNICAL_ERROR_MESSAGE, code="insi_unavailable", details={"permanent": exc.permanent}
            ) from exc
        outcome, rules = judge(result)
        self.record(sent=sent, started=started, called_at=called_at, outcome=outcome, result=result, rules=rules)
        return result


def unfound_outcome(cr: str) -> str:
    """The logged outcome of an answer without an identity: 02 is "several", anything else "none"."""
    return InsiCall.Outcome.MULTIPLE if cr == CR_MULTIPLE else InsiCall.Outcome.NOT_FOUND


def sent_traits(query: TraitsQuery) -> dict[str, str]:
    """The traits sent, as logged (INSI-10: never the envelope)."""
    return {
        "sent_birth_name": query.birth_name,
        "sent_first_name": query.first_name,
        "sent_sex": query.sex,
        "sent_birth_date": query.birth_date,
        "sent_birthplace": query.birthplace_cog,
    }


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


def lock_unchanged(patient: Patient) -> Patient:
    """Lock the row and make sure nobody changed the identity during the call."""
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    if locked.version != patient.version:
        raise PreconditionFailed(
            "L'identité a été modifiée pendant l'appel à INSi : relancez l'interrogation.",
            details={"current_version": locked.version},
        )
    return locked


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
