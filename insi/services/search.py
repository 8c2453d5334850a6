"""Search INSi for a patient, by traits or with the carte Vitale, and retrieve the INS (INSI-01 to INSI-10)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from identity_registry.exceptions import InvalidInput
from insi import reasons
from insi.backends import get_client
from insi.client import InsiClient, InsiResult, Matricule, TraitsQuery, VitaleQuery
from insi.matching import Outcome, Sendable, suggested_retries, valid_history
from insi.models import InsiCall, InsiProposal
from insi.services.calls import CallRecorder, Exchange, SearchCheck, exchange, run_plan, unfound_outcome
from insi.services.common import (
    InsiOutcome,
    changed_during_call,
    checked_traits,
    create_proposal,
    fetch_patient,
    parse_date,
    supersede_pending,
)
from patients import reasons as patient_reasons
from patients.ins import ins_key
from patients.models import Patient
from patients.services import EarlierIns, InsTraits, identity_record_ins, lock_patient
from patients.status import STATUS_LABELS, Status

MESSAGES = {
    "01": "Aucune identité trouvée par INSi (code 01) : l'identité reste inchangée.",
    "02": "Plusieurs identités trouvées par INSi (code 02) : l'identité reste inchangée.",
    Outcome.DISCORDANT: "INSi a renvoyé une identité discordante : l'INS n'est pas récupérée et l'identité "
    "reste inchangée.",
    Outcome.INS_REFUSED: "INSi a renvoyé un matricule qui ne peut pas être une INS (clé ou NIR invalide, "
    "règles TR-10, TR-12) : l'INS n'est pas récupérée et l'identité reste inchangée.",
    Outcome.NEEDS_DECISION: "INSi a renvoyé une identité avec des différences qui demandent la décision d'un "
    "référent (règle INSI-06) : rien n'est modifié d'ici là.",
}
TO_CONFIRM = (
    "INSi a renvoyé une identité concordante : comparez-la au justificatif d'identité présenté, puis confirmez "
    "pour récupérer l'INS. Rien n'est modifié d'ici là."
)


def _retrieve(*, actor: Any, patient: Patient, result: InsiResult, reason: str) -> tuple[Patient, list[str]]:
    identity = result.identity
    assert identity is not None
    traits = identity.traits
    earlier = [
        EarlierIns(h.matricule, h.oid, parse_date(h.valid_from), parse_date(h.valid_until))
        for h in valid_history(identity.history)
        if (h.matricule, h.oid) != (identity.ins.matricule, identity.ins.oid)
    ]
    with transaction.atomic(), changed_during_call():
        # The one lock of the action: taken by identity_record_ins, which refuses a change made during the calls.
        # RNIV INSI-09, ST-05: the returned traits replace the local strict traits and lock them.
        recorded = identity_record_ins(
            actor=actor,
            patient=patient,
            expected_version=patient.version,
            matricule=identity.ins.matricule,
            oid=identity.ins.oid,
            traits=InsTraits(
                birth_name=traits.birth_name,
                first_name=traits.first_name,
                first_names=traits.first_names,
                sex=traits.sex,
                birth_date=parse_date(traits.birth_date),
                birthplace_cog=traits.birthplace_cog,
            ),
            earlier=earlier,
            reason=reason or "Récupération de l'INS par appel au téléservice INSi",
            reason_code=patient_reasons.INS_RETRIEVED,
        )
        supersede_pending(actor=actor, patient=recorded.patient)
    # DM-01: a warning when the INS differs from one read on a Datamatrix at the desk.
    return recorded.patient, recorded.warnings


def _propose(
    *, actor: Any, patient: Patient, deciding: Exchange, reason: str, kind: str = InsiProposal.Kind.RETRIEVAL
) -> tuple[Patient, InsiProposal]:
    assert deciding.comparison is not None
    with transaction.atomic(), changed_during_call():
        locked = lock_patient(patient, patient.version)
        proposal = create_proposal(
            actor=actor,
            patient=locked,
            kind=kind,
            call=deciding.call,
            identity=deciding.result.identity,
            differences=deciding.comparison.differences,
            reason=reason or "Différences à arbitrer (INSI-06)",
            reason_code=reasons.PROPOSAL_CREATED,
        )
    return locked, proposal


def conclude_search(
    *,
    actor: Any,
    patient: Patient,
    sendable: Sendable,
    deciding: Exchange,
    sent: tuple[TraitsQuery | VitaleQuery, ...],
    calls: tuple[InsiCall, ...],
    reason: str,
    defer_retrieval: bool = False,
) -> InsiOutcome:
    """Act on the deciding answer: retrieve on MATCH, propose on NEEDS_DECISION, change nothing otherwise.

    With ``defer_retrieval`` (the screen, issue 12) a MATCH is kept for the agent to compare with the document
    and confirm (``insi_confirm_retrieval``); the API retrieves at once, as documented.
    """
    result, comparison = deciding.result, deciding.comparison
    common = {
        "cr": result.cr,
        "identity": result.identity,
        "warnings": sendable.warnings,
        "calls": calls,
        "deciding_call": deciding.call,
    }
    if comparison is None:
        retries = suggested_retries(local=sendable.traits, sent=sent, cr=result.cr)
        return InsiOutcome(
            unfound_outcome(result.cr), patient=patient, message=MESSAGES[result.cr], retries=retries, **common
        )
    differences = comparison.differences
    if comparison.outcome == Outcome.MATCH and defer_retrieval:
        locked, proposal = _propose(
            actor=actor, patient=patient, deciding=deciding, reason=reason, kind=InsiProposal.Kind.CONFIRMATION
        )
        return InsiOutcome(
            Outcome.MATCH,
            patient=locked,
            message=TO_CONFIRM,
            differences=differences,
            proposal=proposal,
            to_confirm=True,
            **common,
        )
    if comparison.outcome == Outcome.MATCH:
        retrieved, warnings = _retrieve(actor=actor, patient=patient, result=result, reason=reason)
        label = STATUS_LABELS[Status(retrieved.status)]
        message = f"INS récupérée : l'identité passe au statut « {label} » (règle INSI-09)."
        common["warnings"] = (*sendable.warnings, *warnings)
        return InsiOutcome(Outcome.MATCH, patient=retrieved, message=message, differences=differences, **common)
    if comparison.outcome == Outcome.NEEDS_DECISION:
        locked, proposal = _propose(actor=actor, patient=patient, deciding=deciding, reason=reason)
        return InsiOutcome(
            Outcome.NEEDS_DECISION,
            patient=locked,
            message=MESSAGES[Outcome.NEEDS_DECISION],
            differences=differences,
            proposal=proposal,
            **common,
        )
    # DISCORDANT or INS_REFUSED: nothing changes. A refused matricule (TR-10, TR-12) is INSi's error: no retry helps.
    returned = result.identity.traits if result.identity else None
    retries = (
        ()
        if comparison.outcome == Outcome.INS_REFUSED
        else suggested_retries(local=sendable.traits, sent=sent, cr=result.cr, comparison=comparison, returned=returned)
    )
    return InsiOutcome(
        comparison.outcome,
        patient=patient,
        message=MESSAGES[comparison.outcome],
        differences=differences,
        retries=retries,
        **common,
    )


def insi_search_for_patient(
    *,
    actor: Any,
    patient: Patient | int,
    reason: str = "",
    client: InsiClient | None = None,
    defer_retrieval: bool = False,
) -> InsiOutcome:
    """Search INSi with the patient's traits following the strategy, then act on the answer (INSI-01..10).

    Calls happen outside any transaction and each is logged at once, so a failure keeps its log row while
    the identity stays untouched (INSI-02). Raises InsiUnavailable on a technical failure.
    """
    current = fetch_patient(patient)
    sendable = checked_traits(current)
    recorder = CallRecorder(actor=actor, patient=current, operation=InsiCall.Operation.SEARCH_TRAITS, reason=reason)
    end = run_plan(
        recorder=recorder, client=client or get_client(), sendable=sendable, check=SearchCheck(sendable.traits)
    )
    return conclude_search(
        actor=actor,
        patient=current,
        sendable=sendable,
        deciding=end.deciding,
        sent=end.sent,
        calls=tuple(recorder.calls),
        reason=reason,
        defer_retrieval=defer_retrieval,
    )


# 13 characters (digits, 2A/2B for Corsica at the department) then a 2-digit key.
CARD_NUMBER = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}")


@dataclass(frozen=True)
class VitaleCard:
    """What the carte Vitale gives: the beneficiary's and/or the holder's matricule, and the birth rank."""

    individual: str = ""
    holder: str = ""
    birth_rank: int = 1
    # Card codes for ContexteBAM/COUVERTURE (INSI.md): grand régime (2 digits), caisse (3), centre (4).
    regime: str = ""
    fund: str = ""
    centre: str = ""


CARD_CODES = {"regime": (2, "grand régime"), "fund": (3, "caisse"), "centre": (4, "centre")}


def _card_codes(card: VitaleCard) -> dict[str, str]:
    """The card's organisation codes, digits only, each of its fixed length (a 400 in French otherwise)."""
    codes = {}
    for name, (length, label) in CARD_CODES.items():
        value = "".join((getattr(card, name) or "").split())
        if value and not (value.isdigit() and len(value) == length):
            message = f"Le code {label} de la carte Vitale doit compter {length} chiffres."
            raise InvalidInput(message, details={name: [message]})
        codes[name] = value
    return codes


def _card_matricule(value: str, field_name: str) -> Matricule | None:
    text = "".join((value or "").split()).upper()
    if not text:
        return None
    # A bad card number is the user's input, never a 500: the key is computed on well-formed digits only.
    if not CARD_NUMBER.fullmatch(text) or ins_key(text[:13]) != text[13:]:
        message = "Le numéro lu sur la carte Vitale doit compter 15 caractères avec une clé valide."
        raise InvalidInput(message, details={field_name: [message]})
    return Matricule(text[:13], text[13:])


def insi_search_with_vitale(
    *,
    actor: Any,
    patient: Patient | int,
    card: VitaleCard,
    reason: str = "",
    client: InsiClient | None = None,
    defer_retrieval: bool = False,
) -> InsiOutcome:
    """Search INSi keyed by a carte Vitale; the returned INS is compared like a traits search (TR-11)."""
    individual = _card_matricule(card.individual, "individual")
    holder = _card_matricule(card.holder, "holder")
    if individual is None and holder is None:
        message = "Indiquez le numéro lu sur la carte Vitale."
        raise InvalidInput(message, details={"individual": [message]})
    if not 1 <= card.birth_rank <= 9:
        raise InvalidInput("Le rang de naissance doit être compris entre 1 et 9.", details={"birth_rank": ["1 à 9"]})
    codes = _card_codes(card)
    current = fetch_patient(patient)
    sendable = checked_traits(current)
    recorder = CallRecorder(actor=actor, patient=current, operation=InsiCall.Operation.SEARCH_VITALE, reason=reason)
    query = VitaleQuery(
        individual=individual,
        holder=holder,
        birth_name=sendable.traits.birth_name,
        birth_date=sendable.traits.birth_date.isoformat(),
        birth_rank=card.birth_rank,
        **codes,
    )
    return search_once(
        actor=actor,
        patient=current,
        sendable=sendable,
        recorder=recorder,
        client=client,
        query=query,
        reason=reason,
        defer_retrieval=defer_retrieval,
    )


def search_once(
    *,
    actor: Any,
    patient: Patient,
    sendable: Sendable,
    recorder: CallRecorder,
    client: InsiClient | None,
    query: TraitsQuery | VitaleQuery,
    reason: str,
    defer_retrieval: bool,
) -> InsiOutcome:
    """Send one query (a carte Vitale search, a retry) and act on its answer as a search does."""
    deciding = exchange(
        recorder=recorder, client=client or get_client(), check=SearchCheck(sendable.traits), query=query
    )
    return conclude_search(
        actor=actor,
        patient=patient,
        sendable=sendable,
        deciding=deciding,
        sent=(query,),
        calls=tuple(recorder.calls),
        reason=reason,
        defer_retrieval=defer_retrieval,
    )
