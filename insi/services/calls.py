"""One INSi call, start to finish: send, compare, log (INSI-10); and the search plan stepped call by call.

A search and a verification differ only in their ``Check``: what is sent around the plan's traits query,
how the answer is compared with the identity, and how the call is logged. The plan itself
(``insi.matching.SearchPlan``) is pure; these functions own the calls.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InsiUnavailable
from identity_registry.history import stamp_history
from insi import reasons
from insi.breaker import breaker_check, breaker_record_failure, breaker_record_success
from insi.client import (
    CR_MULTIPLE,
    TECHNICAL_ERROR_MESSAGE,
    InsiClient,
    InsiResult,
    InsiTechnicalError,
    ReturnedIdentity,
    TraitsQuery,
    VerifyQuery,
    VitaleQuery,
)
from insi.matching import Comparison, LocalTraits, SearchPlan, Sendable, assess, compare_verification
from insi.models import InsiCall
from patients.models import Patient

logger = logging.getLogger(__name__)

Query = TraitsQuery | VitaleQuery | VerifyQuery

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
    # Issue 12: a back-office retry points to the first call of the search it retries (INSI-07, INSI-08).
    retry_of: InsiCall | None = None
    retry_kind: str = ""

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
            retry_of=self.retry_of,
            retry_kind=self.retry_kind[:60],
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


def _sent(query: Query) -> dict[str, Any]:
    if isinstance(query, VitaleQuery):
        return {
            "sent_birth_name": query.birth_name,
            "sent_birth_date": query.birth_date,
            "sent_birth_rank": query.birth_rank,
        }
    return sent_traits(query.traits if isinstance(query, VerifyQuery) else query)


def _send(client: InsiClient, query: Query) -> InsiResult:
    if isinstance(query, VitaleQuery):
        return client.search_with_vitale(query)
    if isinstance(query, VerifyQuery):
        return client.verify(query)
    return client.search_by_traits(query)


class Check(Protocol):
    """What a search and a verification do differently around the same calls."""

    def request(self, query: TraitsQuery) -> Query: ...

    def compare(self, identity: ReturnedIdentity) -> Comparison: ...

    def logged(self, cr: str, comparison: Comparison | None) -> tuple[str, str]: ...


@dataclass(frozen=True)
class SearchCheck:
    """A search: compare with the local traits before anything is retrieved (TR-10, INSI-03 to INSI-07)."""

    local: LocalTraits

    def request(self, query: TraitsQuery) -> Query:
        return query

    def compare(self, identity: ReturnedIdentity) -> Comparison:
        return assess(self.local, identity)

    def logged(self, cr: str, comparison: Comparison | None) -> tuple[str, str]:
        if comparison is None:
            return unfound_outcome(cr), ""
        return comparison.outcome.value, ",".join(sorted({d.rule for d in comparison.differences}))


@dataclass(frozen=True)
class VerifyCheck:
    """A verification: the stored INS must come back identical, matricule, OID and traits (ST-08)."""

    matricule: str
    oid: str
    stored: LocalTraits

    def request(self, query: TraitsQuery) -> Query:
        return VerifyQuery(matricule=self.matricule, oid=self.oid, traits=query)

    def compare(self, identity: ReturnedIdentity) -> Comparison:
        return compare_verification(matricule=self.matricule, oid=self.oid, stored=self.stored, identity=identity)

    def logged(self, cr: str, comparison: Comparison | None) -> tuple[str, str]:
        if comparison is None:
            return unfound_outcome(cr), "ST-08"
        verified = not comparison.differences
        return (InsiCall.Outcome.VERIFIED if verified else InsiCall.Outcome.CHANGED), "ST-08"


@dataclass(frozen=True)
class Exchange:
    """One call: what was sent, INSi's answer, its comparison with the identity (00 only) and its log row."""

    query: Query
    result: InsiResult
    comparison: Comparison | None
    call: InsiCall


def exchange(*, recorder: CallRecorder, client: InsiClient, check: Check, query: Query) -> Exchange:
    """Send one query, compare the answer and log the call at once; a technical failure raises InsiUnavailable."""
    sent = _sent(query)
    # Issue 14 item 12: while the breaker is open nothing is sent (so nothing is logged as a call).
    breaker_check()
    started, called_at = time.monotonic(), timezone.now()
    try:
        result = _send(client, query)
    except InsiTechnicalError as exc:
        breaker_record_failure(permanent=exc.permanent)
        # RNIV INSI-02: logged with its error; the identity is left untouched.
        recorder.record(sent=sent, started=started, called_at=called_at, outcome=InsiCall.Outcome.ERROR, error=exc)
        logger.warning("INSi call failed: %s (%s)", exc.code, "permanent" if exc.permanent else "temporary")
        raise InsiUnavailable(
            TECHNICAL_ERROR_MESSAGE, code="insi_unavailable", details={"permanent": exc.permanent}
        ) from exc
    breaker_record_success()
    comparison = check.compare(result.identity) if result.found and result.identity is not None else None
    outcome, rules = check.logged(result.cr, comparison)
    call = recorder.record(sent=sent, started=started, called_at=called_at, outcome=outcome, result=result, rules=rules)
    return Exchange(query, result, comparison, call)


@dataclass(frozen=True)
class SearchEnd:
    """Where a plan ended: the deciding exchange, and every traits query sent on the way, in order."""

    deciding: Exchange
    sent: tuple[TraitsQuery, ...]


def run_plan(*, recorder: CallRecorder, client: InsiClient, sendable: Sendable, check: Check) -> SearchEnd:
    """Step through the search plan (INSI.md, INSI-08), one exchange per query, until the plan is over."""
    plan = SearchPlan.start(sendable)
    exchanges: list[Exchange] = []
    while (query := plan.next_query()) is not None:
        exchanges.append(exchange(recorder=recorder, client=client, check=check, query=check.request(query)))
        plan = plan.record(query, exchanges[-1].result.cr)
    return SearchEnd(exchanges[plan.deciding], tuple(query for query, _ in plan.attempts))
