"""The "Interroger INSi" admin screen of one identity: call, compare side by side, decide (ST-09, INSI-06)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from identity_registry.exceptions import ApplicationError
from insi.admin_actions import CONFIRM_LABEL, retry_choices, run_confirm, run_retry, traits_to_send
from insi.call_display import call_rows
from insi.forms import DecisionForm, VitaleForm
from insi.matching import TRAIT_LABELS, valid_history
from insi.models import InsiProposal
from insi.selectors import insi_calls_for_patient, pending_proposal
from insi.services import (
    InsiOutcome,
    VitaleCard,
    insi_decide_proposal,
    insi_search_for_patient,
    insi_search_with_vitale,
    insi_verify_patient,
)
from patients.audit import patient_record_access
from patients.birthplaces import birthplace_label
from patients.models import Patient, Sex
from patients.records import PatientAccess

SHOWN_TRAITS = ["birth_name", "first_name", "first_names", "sex", "birth_date", "birthplace_cog"]


def _local(patient: Patient) -> dict[str, str]:
    values = {name: str(getattr(patient, name) or "") for name in SHOWN_TRAITS}
    values["birth_date"] = patient.birth_date.isoformat()
    values["ins_matricule"] = patient.ins_matricule or ""
    values["ins_oid"] = patient.ins_oid or ""
    return values


def _shown(name: str, value: Any) -> str:
    """Show a trait as the agent reads it on a document: dates as JJ/MM/AAAA (lunar 1980-00-00: 00/00/1980)."""
    text = str(value or "")
    if name == "birth_date" and len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    if name == "birthplace_cog" and text:
        return birthplace_label(text)  # TR-06: "Clermont-Ferrand (63) · 63113", on both sides of the comparison
    if name == "sex" and text in Sex.values:
        return str(Sex(text).label)
    return text


def _rows(local: dict[str, str], returned: dict[str, str], differences: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One row per trait: local value, INSi value, and the difference with its rule, if any."""
    by_trait: dict[str, list[dict[str, str]]] = {}
    for diff in differences:
        by_trait.setdefault(diff["trait"], []).append(diff)
    traits = ["ins_matricule", "ins_oid", *SHOWN_TRAITS]
    return [
        {
            "label": TRAIT_LABELS[name],
            "local": _shown(name, local.get(name, "")),
            "returned": _shown(name, returned.get(name, "")),
            "differences": by_trait.get(name, []),
        }
        for name in traits
        if local.get(name) or returned.get(name) or name in by_trait
    ]


def _returned_from_outcome(outcome: InsiOutcome) -> dict[str, str]:
    if outcome.identity is None:
        return {}
    traits = outcome.identity.traits
    return {
        "ins_matricule": outcome.identity.ins.matricule,
        "ins_oid": outcome.identity.ins.oid,
        **{name: getattr(traits, name) for name in SHOWN_TRAITS},
    }


def _returned_from_proposal(proposal: InsiProposal) -> dict[str, str]:
    values = {name: str(getattr(proposal, name) or "") for name in SHOWN_TRAITS}
    values["birth_date"] = proposal.birth_date.isoformat() if proposal.birth_date else ""
    return {"ins_matricule": proposal.matricule, "ins_oid": proposal.oid, **values}


def _returned_earlier(outcome: InsiOutcome | None) -> list[dict[str, str]]:
    """The INSHISTO entries of the answer, dates as JJ/MM/AAAA; a bad key is shown but never kept (TR-10)."""
    if outcome is None or outcome.identity is None:
        return []
    kept = set(valid_history(outcome.identity.history))
    return [
        {
            "matricule": entry.matricule,
            "oid": entry.oid,
            "valid_from": _shown("birth_date", entry.valid_from),
            "valid_until": _shown("birth_date", entry.valid_until),
            "kept": "oui" if entry in kept else "non : clé invalide (TR-10)",
        }
        for entry in outcome.identity.history
    ]


def _stored_earlier(patient: Patient) -> list[dict[str, str]]:
    return [
        {
            "matricule": entry.matricule,
            "oid": entry.oid,
            "valid_from": entry.valid_from.strftime("%d/%m/%Y") if entry.valid_from else "",
            "valid_until": entry.valid_until.strftime("%d/%m/%Y") if entry.valid_until else "",
            "kept": entry.get_source_display(),
        }
        for entry in patient.ins_history.all()
    ]


def _run_action(request: HttpRequest, patient: Patient) -> tuple[InsiOutcome | None, Any]:
    action = request.POST.get("action", "")
    if action == "search":
        # Issue 12: on the screen a concordant identity waits for the agent's look at the document.
        return insi_search_for_patient(actor=request.user, patient=patient, defer_retrieval=True), None
    if action == "retry":
        return run_retry(request, patient), None
    if action == "verify":
        return insi_verify_patient(actor=request.user, patient=patient), None
    if action == "vitale":
        form = VitaleForm(request.POST)
        if not form.is_valid():
            return None, form
        card = VitaleCard(**form.cleaned_data)
        return insi_search_with_vitale(actor=request.user, patient=patient, card=card, defer_retrieval=True), None
    return None, None


def insi_query_view(request: HttpRequest, patient_id: int, admin_context: dict[str, Any]) -> HttpResponse:
    """Show the identity beside what INSi returns, and let referents decide on a proposal."""
    if not request.user.has_perm("insi.query_insi"):
        raise PermissionDenied
    patient = get_object_or_404(Patient, pk=patient_id)
    if request.method == "GET":
        # RNIV AUD-03: the screen shows the identity's traits, so opening it is a read.
        patient_record_access(
            actor=request.user,
            patients=[patient],
            action=PatientAccess.Action.RETRIEVE,
            channel=PatientAccess.Channel.SCREEN,
        )
    can_decide = request.user.has_perm("insi.decide_insi")
    outcome, vitale_form, decision_form = None, VitaleForm(), DecisionForm()
    before = _local(patient)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("accept", "reject"):
                if not can_decide:
                    raise PermissionDenied
                decision_form = DecisionForm(request.POST)
                proposal = pending_proposal(patient=patient)
                if proposal is None:
                    messages.warning(request, "Cette proposition INSi a déjà été traitée : aucune décision en attente.")
                elif decision_form.is_valid():
                    insi_decide_proposal(
                        actor=request.user,
                        proposal=proposal,
                        accept=action == "accept",
                        justification=decision_form.cleaned_data["justification"],
                    )
                    messages.success(request, "Décision enregistrée." if action == "reject" else "INS récupérée.")
                    return redirect(request.path)
            elif action == "confirm":
                messages.success(request, run_confirm(request, patient))
                return redirect(request.path)
            else:
                if action == "vitale":
                    # Keep what the agent typed when INSi or the card check refuses the number.
                    vitale_form = VitaleForm(request.POST)
                outcome, form = _run_action(request, patient)
                vitale_form = form or vitale_form
        except ApplicationError as exc:
            messages.error(request, exc.message)
        patient.refresh_from_db()
    proposal = pending_proposal(patient=patient)
    comparison_rows = []
    if outcome is not None:
        differences = [
            {"trait": d.trait, "rule": d.rule, "severity": d.severity.value, "explanation": d.explanation}
            for d in outcome.differences
        ]
        comparison_rows = _rows(before, _returned_from_outcome(outcome), differences)
    # Item 4: a proposal made by this very call is compared once, in the result above.
    compared_above = bool(proposal and outcome and outcome.proposal and outcome.proposal.pk == proposal.pk)
    proposal_rows = (
        _rows(_local(patient), _returned_from_proposal(proposal), proposal.differences)
        if proposal and not compared_above
        else []
    )
    retry_buttons, retry_texts = retry_choices(outcome, patient)
    context = {
        **admin_context,
        "title": f"Interroger INSi · {patient.birth_name} {patient.first_name}",
        "patient": patient,
        "outcome": outcome,
        "comparison_rows": comparison_rows,
        "proposal": proposal,
        "proposal_rows": proposal_rows,
        "compared_above": compared_above,
        "retry_buttons": retry_buttons,
        "retry_texts": retry_texts,
        "to_send": traits_to_send(patient),
        "confirm_label": CONFIRM_LABEL,
        "can_decide": can_decide,
        "decision_form": decision_form,
        "vitale_form": vitale_form,
        "returned_earlier": _returned_earlier(outcome),
        "stored_earlier": _stored_earlier(patient),
        # Issue 12: a call whose proposal was decided says so, no longer "décision requise".
        "calls": call_rows(insi_calls_for_patient(patient=patient)[:10]),
        "can_view_calls": request.user.has_perm("insi.view_insicall"),
    }
    return TemplateResponse(request, "admin/insi/query.html", context)
