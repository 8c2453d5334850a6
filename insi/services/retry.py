"""A back-office retry sent from the screen (INSI-07, INSI-08), logged as a retry of the search's first call."""

from __future__ import annotations

from typing import Any

from identity_registry.exceptions import InvalidInput
from insi.client import InsiClient, TraitsQuery
from insi.matching import retry_query
from insi.matching.strategy import LocalTraits
from insi.models import InsiCall
from insi.services.calls import CallRecorder
from insi.services.common import InsiOutcome, checked_traits, fetch_patient
from insi.services.search import search_once

NOT_APPLICABLE = "Cette relance ne s'applique pas aux traits envoyés lors de l'appel : elle n'est pas envoyée."


def sent_query(call: InsiCall) -> TraitsQuery:
    """The traits query a logged traits search sent (INSI-10 keeps exactly these traits)."""
    return TraitsQuery(
        call.sent_birth_name, call.sent_first_name, call.sent_sex, call.sent_birth_date, call.sent_birthplace
    )


def planned_retry(*, call: InsiCall | None, kind: str, local: LocalTraits) -> TraitsQuery | None:
    """The query a retry of ``call`` would send, or None when the screen cannot send it (a Vitale search)."""
    if call is None or call.operation != InsiCall.Operation.SEARCH_TRAITS:
        return None
    return retry_query(kind=kind, sent=sent_query(call), local=local)


def insi_retry_search(
    *,
    actor: Any,
    patient: Any,
    call: InsiCall | int,
    kind: str,
    reason: str = "",
    client: InsiClient | None = None,
    defer_retrieval: bool = True,
) -> InsiOutcome:
    """Send one retry of a logged traits search and act on the answer like a search (INSI-07, INSI-08).

    The local traits never change: only the request does. The call is logged with ``retry_of`` set to the
    first call of the search retried (a retry of a retry points to the same first call).
    """
    current = fetch_patient(patient)
    pk = call.pk if isinstance(call, InsiCall) else call
    retried = InsiCall.objects.select_related("retry_of").filter(pk=pk, patient=current).first()
    if retried is None:
        raise InvalidInput("Appel INSi inconnu pour cette identité.", details={"retry_of": ["Appel inconnu."]})
    sendable = checked_traits(current)
    query = planned_retry(call=retried, kind=kind, local=sendable.traits)
    if query is None:
        raise InvalidInput(NOT_APPLICABLE, details={"retry": [NOT_APPLICABLE]})
    first = retried.retry_of or _first_of_run(retried)
    recorder = CallRecorder(
        actor=actor,
        patient=current,
        operation=InsiCall.Operation.SEARCH_TRAITS,
        reason=reason or f"Relance INSi depuis la fiche identité ({kind})",
        retry_of=first,
        retry_kind=kind,
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


def _first_of_run(call: InsiCall) -> InsiCall:
    """The first call of the search ``call`` belongs to (one search may send several queries, INSI.md)."""
    return InsiCall.objects.filter(run_id=call.run_id).order_by("called_at", "id").first() or call
