"""The retries and the confirmation of the "Interroger INSi" screen (issue 12, INSI-07, INSI-08, INSI-09).

Kept apart from ``admin_views``: what the screen shows before a call (the traits that will be sent), the retry
buttons with the traits each will send, and the POST handlers of a retry and of a confirmation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest

from identity_registry.exceptions import ApplicationError, InvalidInput
from insi.client import TraitsQuery
from insi.models import InsiProposal
from insi.services import InsiOutcome, insi_confirm_retrieval, insi_retry_search
from insi.services.common import checked_traits
from insi.services.retry import planned_retry
from patients.models import Patient, Sex

CONFIRM_LABEL = "Confirmer : l'identité renvoyée correspond au justificatif présenté"


def shown_query(query: TraitsQuery) -> list[tuple[str, str]]:
    """The traits a query sends, in French, as the agent reads them (dates JJ/MM/AAAA)."""
    date = query.birth_date
    shown_date = f"{date[8:10]}/{date[5:7]}/{date[0:4]}" if len(date) == 10 else date
    sex = str(Sex(query.sex).label) if query.sex in Sex.values else query.sex
    return [
        ("Nom de naissance", query.birth_name),
        ("Prénom(s)", query.first_name),
        ("Sexe", sex),
        ("Date de naissance", shown_date),
        ("Lieu de naissance (code COG)", query.birthplace_cog or "non envoyé"),
    ]


def traits_to_send(patient: Patient) -> dict[str, Any]:
    """Before the call: the traits the search will send first (TR-03 applied), or why no call is possible."""
    try:
        sendable = checked_traits(patient)
    except ApplicationError as exc:
        return {"refused": exc.message, "rows": [], "warnings": []}
    traits = sendable.traits
    first = TraitsQuery(traits.birth_name, traits.first_name, traits.sex, traits.birth_date.isoformat(), "")
    rows = shown_query(first)
    if traits.first_names and traits.first_names != traits.first_name:
        rows.insert(2, ("Liste des prénoms (essayés ensuite)", traits.first_names))
    return {"refused": "", "rows": rows, "warnings": list(sendable.warnings)}


def retry_choices(outcome: InsiOutcome | None, patient: Patient) -> tuple[list[dict[str, Any]], list[Any]]:
    """(buttons, texts): each retry the screen can send, with the traits it will send; the others as text."""
    if outcome is None or not outcome.retries:
        return [], []
    try:
        local = checked_traits(patient).traits
    except ApplicationError:
        return [], list(outcome.retries)
    buttons, texts = [], []
    for retry in outcome.retries:
        query = planned_retry(call=outcome.deciding_call, kind=retry.kind, local=local)
        if query is None:
            texts.append(retry)
        else:
            call = outcome.deciding_call
            buttons.append({"retry": retry, "call_id": call.pk if call else "", "sent": shown_query(query)})
    return buttons, texts


def run_retry(request: HttpRequest, patient: Patient) -> InsiOutcome:
    """POST action=retry: the call retried and the retry's code; the traits are computed on the server."""
    try:
        call_id = int(request.POST.get("retry_of", ""))
    except ValueError:
        raise InvalidInput("Relance invalide : appel INSi manquant.", details={"retry_of": ["Obligatoire."]}) from None
    kind = request.POST.get("retry", "")[:60]
    return insi_retry_search(actor=request.user, patient=patient, call=call_id, kind=kind)


def run_confirm(request: HttpRequest, patient: Patient) -> str:
    """POST action=confirm: record the INS of the pending confirmation, if the identity did not change."""
    try:
        version = int(request.POST.get("version", ""))
        public_id = uuid.UUID(request.POST.get("proposal", ""))
    except ValueError:
        message = "Confirmation invalide : proposition ou version manquante."
        raise InvalidInput(message, details={"proposal": [message]}) from None
    proposal = InsiProposal.objects.filter(patient=patient, public_id=public_id).first()
    if proposal is None:
        raise InvalidInput("Aucune récupération à confirmer pour cette identité.", details={"proposal": ["Inconnue."]})
    _, recorded = insi_confirm_retrieval(actor=request.user, proposal=proposal, expected_version=version)
    return " ".join(["INS récupérée après comparaison avec le justificatif (règle INSI-09).", *recorded.warnings])
