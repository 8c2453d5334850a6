"""Verify a stored INS through INSi (RNIV ST-08); a difference withdraws I and flags the identity."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from identity_registry.exceptions import InvalidTransition
from insi import reasons
from insi.client import InsiClient, InsiResult, TraitsQuery, VerifyQuery, get_client
from insi.matching import Comparison, Difference, Severity, compare_verification, run_search
from insi.models import InsiCall, InsiProposal
from insi.services.common import (
    CallRecorder,
    InsiOutcome,
    checked_traits,
    create_proposal,
    fetch_patient,
    lock_unchanged,
    sent_traits,
    unfound_outcome,
)
from patients.models import Patient
from patients.services import identity_downgrade, identity_record_ins_verification

VERIFIED_MESSAGE = "INS vérifiée : INSi renvoie la même INS et les mêmes traits (règle ST-08)."
CHANGED_MESSAGE = (
    "La vérification INSi ne renvoie pas l'INS enregistrée à l'identique : l'INS est retirée et l'identité "
    "est signalée à un référent (règle ST-08)."
)


def insi_verify_patient(
    *, actor: Any, patient: Patient | int, reason: str = "", client: InsiClient | None = None
) -> InsiOutcome:
    """Search INSi with the stored INS traits; identical INS records the check, any difference downgrades I."""
    current = fetch_patient(patient)
    if not current.ins_verified or not current.ins_matricule or not current.ins_oid:
        raise InvalidTransition("Aucune INS récupérée à vérifier (règle ST-08).", code="ST-08")
    sendable = checked_traits(current)
    client = client or get_client()
    recorder = CallRecorder(actor=actor, patient=current, operation=InsiCall.Operation.VERIFY, reason=reason)
    matricule, oid = current.ins_matricule, current.ins_oid
    seen: dict[str, Comparison] = {}

    def judge(result: InsiResult) -> tuple[str, str]:
        if not result.found:
            return unfound_outcome(result.cr), "ST-08"
        assert result.identity is not None
        comparison = compare_verification(
            matricule=matricule, oid=oid, stored=sendable.traits, identity=result.identity
        )
        seen["comparison"] = comparison
        verified = not comparison.differences
        return (InsiCall.Outcome.VERIFIED if verified else InsiCall.Outcome.CHANGED), "ST-08"

    def send(query: TraitsQuery) -> InsiResult:
        return recorder.call(
            sent_traits(query), lambda: client.verify(VerifyQuery(matricule=matricule, oid=oid, traits=query)), judge
        )

    run = run_search(sendable, send)
    result = run.result
    comparison = seen.get("comparison") if result.found else None
    if comparison is not None and not comparison.differences:
        with transaction.atomic():
            locked = lock_unchanged(current)
            verified = identity_record_ins_verification(
                actor=actor,
                patient=locked,
                reason=reason or "Vérification de l'INS par appel au téléservice INSi",
            ).patient
        return InsiOutcome(
            InsiCall.Outcome.VERIFIED,
            cr=result.cr,
            patient=verified,
            message=VERIFIED_MESSAGE,
            identity=result.identity,
            calls=tuple(recorder.calls),
        )
    if comparison is not None:
        differences = comparison.differences
    else:
        differences = (
            Difference(
                "ins_matricule",
                matricule,
                "",
                "ST-08",
                Severity.DISCORDANT,
                f"INSi ne renvoie plus cette INS (code {result.cr}).",
            ),
        )
    summary = "; ".join(d.explanation for d in differences)
    with transaction.atomic():
        locked = lock_unchanged(current)
        # RNIV ST-08, ST-06: any difference withdraws I, with the reason recorded.
        downgraded = identity_downgrade(
            actor=actor,
            patient=locked,
            withdraw_ins=True,
            withdraw_document=False,
            reason=f"Vérification INSi en échec (ST-08) : {summary}",
        ).patient
        identity = result.identity
        proposal = create_proposal(
            actor=actor,
            patient=downgraded,
            kind=InsiProposal.Kind.VERIFICATION,
            call=recorder.calls[-1],
            identity=identity,
            differences=differences,
            reason=summary[:500],
            reason_code=reasons.VERIFICATION_FAILED,
        )
    return InsiOutcome(
        InsiCall.Outcome.CHANGED,
        cr=result.cr,
        patient=downgraded,
        message=CHANGED_MESSAGE,
        identity=result.identity,
        differences=differences,
        proposal=proposal,
        calls=tuple(recorder.calls),
    )
