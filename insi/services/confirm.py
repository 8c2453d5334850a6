"""The agent confirms a concordant identity after comparing it with the document in hand (issue 12, INSI-09)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidTransition, PreconditionFailed
from identity_registry.history import stamp_history
from insi import reasons
from insi.models import InsiProposal
from insi.services.decisions import record_proposal_ins
from patients import reasons as patient_reasons
from patients.services import IdentityResult, lock_patient

STALE = (
    "L'identité a été modifiée depuis l'interrogation d'INSi : l'INS n'est pas récupérée. "
    "Interrogez INSi à nouveau et comparez l'identité renvoyée au justificatif."
)
CONFIRMED = "Récupération de l'INS confirmée : l'identité renvoyée par INSi correspond au justificatif présenté"


@transaction.atomic
def insi_confirm_retrieval(
    *, actor: Any, proposal: InsiProposal | int, expected_version: int
) -> tuple[InsiProposal, IdentityResult]:
    """Record the INS of a concordant answer the agent compared with the document (INSI-09, ST-05).

    Refused (412) when the identity changed since the call or since the screen was shown.
    """
    pk = proposal.pk if isinstance(proposal, InsiProposal) else proposal
    # Patient first, then the proposal: the order of a search and of a referent's decision (no deadlock).
    patient_id = InsiProposal.objects.values_list("patient_id", flat=True).get(pk=pk)
    patient = lock_patient(patient_id)
    locked = InsiProposal.objects.select_for_update().get(pk=pk)
    if locked.state != InsiProposal.State.PENDING or locked.kind != InsiProposal.Kind.CONFIRMATION:
        raise InvalidTransition("Cette récupération a déjà été traitée ou remplacée.", code="INSI-09")
    if patient.version != locked.patient_version or patient.version != expected_version:
        raise PreconditionFailed(STALE, details={"current_version": patient.version})
    recorded = record_proposal_ins(
        actor=actor, patient=patient, proposal=locked, reason=CONFIRMED, reason_code=patient_reasons.INS_RETRIEVED
    )
    locked.state = InsiProposal.State.ACCEPTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.justification = CONFIRMED
    stamp_history(locked, actor=actor, reason_code=reasons.PROPOSAL_ACCEPTED, reason=CONFIRMED)
    locked.save()
    return locked, recorded
