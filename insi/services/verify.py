"""Verify a stored INS through INSi (RNIV ST-08); a difference withdraws I and flags the identity."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from identity_registry.exceptions import InvalidTransition
from insi import reasons
from insi.backends import get_client
from insi.client import InsiClient
from insi.matching import Difference, Severity
from insi.models import InsiCall, InsiProposal
from insi.services.calls import CallRecorder, Exchange, VerifyCheck, run_plan
from insi.services.common import InsiOutcome, changed_during_call, checked_traits, create_proposal, fetch_patient
from patients.models import Patient
from patients.services import identity_downgrade, identity_record_ins_verification

VERIFIED_MESSAGE = "INS vérifiée : INSi renvoie la même INS et les mêmes traits (règle ST-08)."
CHANGED_MESSAGE = (
    "La vérification INSi ne renvoie pas l'INS enregistrée à l'identique : l'INS est retirée et l'identité "
    "est signalée à un référent (règle ST-08)."
)


def _lost_ins(matricule: str, cr: str) -> tuple[Difference, ...]:
    return (
        Difference(
            "ins_matricule", matricule, "", "ST-08", Severity.DISCORDANT, f"INSi ne renvoie plus cette INS (code {cr})."
        ),
    )


def conclude_verification(
    *, actor: Any, patient: Patient, deciding: Exchange, calls: tuple[InsiCall, ...], reason: str
) -> InsiOutcome:
    """Act on the deciding answer: the same INS records the check; anything else withdraws I (ST-08)."""
    result, comparison = deciding.result, deciding.comparison
    common = {"cr": result.cr, "identity": result.identity, "calls": calls}
    if comparison is not None and not comparison.differences:
        with transaction.atomic(), changed_during_call():
            # The one lock of the action: taken by the patients service, which refuses a change made meanwhile.
            verified = identity_record_ins_verification(
                actor=actor,
                patient=patient,
                expected_version=patient.version,
                reason=reason or "Vérification de l'INS par appel au téléservice INSi",
            ).patient
        return InsiOutcome(InsiCall.Outcome.VERIFIED, patient=verified, message=VERIFIED_MESSAGE, **common)
    differences = comparison.differences if comparison else _lost_ins(patient.ins_matricule, result.cr)
    summary = "; ".join(d.explanation for d in differences)
    with transaction.atomic(), changed_during_call():
        # RNIV ST-08, ST-06: any difference withdraws I, with the reason recorded; the one lock is taken there.
        downgraded = identity_downgrade(
            actor=actor,
            patient=patient,
            expected_version=patient.version,
            withdraw_ins=True,
            withdraw_document=False,
            reason=f"Vérification INSi en échec (ST-08) : {summary}",
        ).patient
        proposal = create_proposal(
            actor=actor,
            patient=downgraded,
            kind=InsiProposal.Kind.VERIFICATION,
            call=deciding.call,
            identity=result.identity,
            differences=differences,
            reason=summary[:500],
            reason_code=reasons.VERIFICATION_FAILED,
        )
    return InsiOutcome(
        InsiCall.Outcome.CHANGED,
        patient=downgraded,
        message=CHANGED_MESSAGE,
        differences=differences,
        proposal=proposal,
        **common,
    )


def insi_verify_patient(
    *, actor: Any, patient: Patient | int, reason: str = "", client: InsiClient | None = None
) -> InsiOutcome:
    """Search INSi with the stored INS traits; identical INS records the check, any difference downgrades I.

    Calls happen outside any transaction and each is logged at once (INSI-02); raises InsiUnavailable on a
    technical failure.
    """
    current = fetch_patient(patient)
    if not current.ins_verified or not current.ins_matricule or not current.ins_oid:
        raise InvalidTransition("Aucune INS récupérée à vérifier (règle ST-08).", code="ST-08")
    sendable = checked_traits(current)
    recorder = CallRecorder(actor=actor, patient=current, operation=InsiCall.Operation.VERIFY, reason=reason)
    check = VerifyCheck(matricule=current.ins_matricule, oid=current.ins_oid, stored=sendable.traits)
    end = run_plan(recorder=recorder, client=client or get_client(), sendable=sendable, check=check)
    return conclude_verification(
        actor=actor, patient=current, deciding=end.deciding, calls=tuple(recorder.calls), reason=reason
    )
