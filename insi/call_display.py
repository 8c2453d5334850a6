"""How the "Derniers appels" table reads a call: a decision once taken is no longer "required" (INSI-06)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from identity_registry.local_time import local_datetime
from insi.models import InsiCall, InsiProposal


@dataclass(frozen=True)
class CallRow:
    call: InsiCall
    outcome_text: str
    proposal_url: str


def _decided_text(proposal: InsiProposal) -> str:
    if proposal.state == InsiProposal.State.SUPERSEDED:
        return "Proposition remplacée par un appel plus récent"
    who = proposal.decided_by.get_username() if proposal.decided_by else "un référent"
    if proposal.kind == InsiProposal.Kind.CONFIRMATION and proposal.state == InsiProposal.State.ACCEPTED:
        return f"Récupération confirmée au vu du justificatif par {who} le {local_datetime(proposal.decided_at)}"
    verb = "acceptée" if proposal.state == InsiProposal.State.ACCEPTED else "rejetée"
    return f"Proposition {verb} par {who} le {local_datetime(proposal.decided_at)}"


def call_rows(calls: Any) -> list[CallRow]:
    """Each call with the words the screen shows; one query for the proposals the calls opened."""
    calls = list(calls)
    proposals = {
        p.call_id: p
        for p in InsiProposal.objects.filter(call_id__in=[c.pk for c in calls]).select_related("decided_by")
    }
    rows = []
    for call in calls:
        proposal = proposals.get(call.pk)
        text = call.get_outcome_display()
        url = ""
        if proposal is not None:
            url = reverse("admin:insi_insiproposal_change", args=[proposal.pk])
            if proposal.state != InsiProposal.State.PENDING:
                decided = _decided_text(proposal)
                # The "decision required" of the call is answered: say what was decided instead.
                text = decided if call.outcome == InsiCall.Outcome.NEEDS_DECISION else f"{text} · {decided}"
        rows.append(CallRow(call=call, outcome_text=text, proposal_url=url))
    return rows
