"""A referent accepts or rejects an INSi proposal, always with a justification (INSI-06, ST-08)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidInput, InvalidTransition, PreconditionFailed
from identity_registry.history import stamp_history
from insi import reasons
from insi.models import InsiProposal
from insi.services.common import parse_date
from patients.services import EarlierIns, IdentityResult, InsTraits, identity_record_ins, lock_patient


@transaction.atomic
def insi_decide_proposal(*, actor: Any, proposal: InsiProposal | int, accept: bool, justification: str) -> InsiProposal:
    """Accept (the INS is retrieved with INSi's traits) or reject a pending proposal, with a justification."""
    text = (justification or "").strip()
    if not text:
        message = "Une justification est obligatoire pour accepter ou rejeter la proposition (règle INSI-06)."
        raise InvalidInput(message, details={"justification": [message]})
    pk = proposal.pk if isinstance(proposal, InsiProposal) else proposal
    # Patient first, then the proposal, like a search (which locks the identity, then supersedes proposals):
    # the opposite order could deadlock a decision and a search on the same identity (PostgreSQL).
    patient_id = InsiProposal.objects.values_list("patient_id", flat=True).get(pk=pk)
    patient = lock_patient(patient_id)
    locked = InsiProposal.objects.select_for_update().get(pk=pk)
    if locked.state != InsiProposal.State.PENDING:
        raise InvalidTransition("Cette proposition a déjà été traitée.", code="INSI-06")
    if accept:
        if patient.version != locked.patient_version:
            raise PreconditionFailed(
                "L'identité a été modifiée depuis la proposition : interrogez INSi à nouveau.",
                details={"current_version": patient.version},
            )
        if not locked.matricule or locked.birth_date is None:
            raise InvalidTransition(
                "INSi n'a renvoyé aucune identité : la proposition ne peut qu'être rejetée.", code="ST-08"
            )
        # RNIV INSI-06: the referent's justification is the reason of the retrieval.
        record_proposal_ins(
            actor=actor, patient=patient, proposal=locked, reason=text, reason_code=reasons.PROPOSAL_ACCEPTED
        )
    locked.state = InsiProposal.State.ACCEPTED if accept else InsiProposal.State.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.justification = text
    stamp_history(
        locked, actor=actor, reason_code=reasons.PROPOSAL_ACCEPTED if accept else reasons.PROPOSAL_REJECTED, reason=text
    )
    locked.save()
    return locked


def record_proposal_ins(
    *, actor: Any, patient: Any, proposal: InsiProposal, reason: str, reason_code: str
) -> IdentityResult:
    """Record the INS and the traits INSi returned, kept in the proposal (INSI-09); the patient is locked."""
    return identity_record_ins(
        actor=actor,
        patient=patient,
        already_locked=True,
        matricule=proposal.matricule,
        oid=proposal.oid,
        traits=InsTraits(
            birth_name=proposal.birth_name,
            first_name=proposal.first_name,
            first_names=proposal.first_names,
            sex=proposal.sex,
            birth_date=proposal.birth_date,
            birthplace_cog=proposal.birthplace_cog,
        ),
        earlier=[
            EarlierIns(
                e["matricule"], e["oid"], parse_date(e.get("valid_from", "")), parse_date(e.get("valid_until", ""))
            )
            for e in proposal.earlier
        ],
        reason=reason,
        reason_code=reason_code,
    )
