"""The page of one INSi proposal: INSi beside the identity, and the referent's decision (INSI-06, ST-08)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from identity_registry.exceptions import ApplicationError
from identity_registry.local_time import local_datetime
from insi.admin_views import _local, _returned_from_proposal, _rows, _shown
from insi.forms import DecisionForm
from insi.models import InsiProposal
from insi.services import insi_decide_proposal
from patients.admin.display import status_badge
from patients.audit import patient_record_access
from patients.records import PatientAccess

DECIDE_PERMISSION = "insi.decide_insi"


def already_decided_message(proposal: InsiProposal) -> str:
    if proposal.state == InsiProposal.State.SUPERSEDED:
        return (
            "Cette proposition a été remplacée par un appel INSi plus récent : elle ne peut plus être décidée. "
            "Ouvrez la proposition en attente de l'identité, s'il y en a une."
        )
    who = proposal.decided_by.get_username() if proposal.decided_by else "un référent"
    return (
        f"Cette proposition a déjà été traitée ({proposal.get_state_display().lower()} par {who} "
        f"le {local_datetime(proposal.decided_at)}) : elle ne peut pas être décidée une seconde fois."
    )


def _proposed_earlier(proposal: InsiProposal) -> list[dict[str, str]]:
    """The earlier INS INSi returned with the proposal (INSI-09), dates as JJ/MM/AAAA."""
    return [
        {
            "matricule": entry.get("matricule", ""),
            "oid": entry.get("oid", ""),
            "valid_from": _shown("birth_date", entry.get("valid_from", "")),
            "valid_until": _shown("birth_date", entry.get("valid_until", "")),
            "kept": "à l'acceptation",
        }
        for entry in proposal.earlier or []
        if isinstance(entry, dict)
    ]


def _decide(request: HttpRequest, proposal: InsiProposal) -> tuple[HttpResponse | None, DecisionForm]:
    if not request.user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if proposal.state != InsiProposal.State.PENDING:
        messages.error(request, already_decided_message(proposal))
        return redirect(request.path), form
    if not form.is_valid():
        return None, form
    accept = form.cleaned_data["decision"] == "accept"
    try:
        insi_decide_proposal(
            actor=request.user,
            proposal=proposal,
            accept=accept,
            justification=form.cleaned_data["justification"],
        )
    except ApplicationError as exc:
        proposal.refresh_from_db()
        text = already_decided_message(proposal) if proposal.state != InsiProposal.State.PENDING else exc.message
        messages.error(request, text)
        return redirect(request.path), form
    messages.success(
        request,
        "Proposition acceptée : l'INS est récupérée." if accept else "Proposition rejetée : décision enregistrée.",
    )
    return redirect(request.path), form


def proposal_page_view(request: HttpRequest, proposal: InsiProposal, admin_context: dict[str, Any]) -> HttpResponse:
    """GET shows the proposal; POST (referents only) accepts or rejects it with a justification."""
    form = DecisionForm()
    if request.method == "POST":
        response, form = _decide(request, proposal)
        if response is not None:
            return response
    else:
        # RNIV AUD-03: the page shows the identity's traits, so opening it is a read.
        patient_record_access(
            actor=request.user,
            patients=[proposal.patient],
            action=PatientAccess.Action.RETRIEVE,
            channel=PatientAccess.Channel.SCREEN,
        )
    patient = proposal.patient
    pending = proposal.state == InsiProposal.State.PENDING
    context = {
        **admin_context,
        "title": f"Proposition INSi · {patient.birth_name} {patient.first_name}",
        "subtitle": None,
        "proposal": proposal,
        "patient": patient,
        "status_badge": status_badge(patient.status),
        "rows": _rows(_local(patient), _returned_from_proposal(proposal), proposal.differences or []),
        "proposed_earlier": _proposed_earlier(proposal),
        "pending": pending,
        "local_label": "Valeur locale" if pending else "Valeur locale actuelle",
        "can_decide": pending and request.user.has_perm(DECIDE_PERMISSION),
        "decision_form": form,
        "can_query": request.user.has_perm("insi.query_insi"),
        "created_at": local_datetime(proposal.created_at),
        "decided_at": local_datetime(proposal.decided_at),
    }
    return TemplateResponse(request, "admin/insi/proposal.html", context)
