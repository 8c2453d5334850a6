"""The per-patient admin page « Consentements et accès DMP »: shows the state, records each decision."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from consent import forms, wording
from consent.codes import ConsentDecision, ConsentPurpose
from consent.models import CareEpisode, CareTeamMember, ConsentRecord, PatientOpposition
from consent.selectors import (
    consents_for_patient,
    emergency_accesses_for_patient,
    episode_list,
    oppositions_for_patient,
)
from consent.services import (
    care_episode_create,
    care_episode_update,
    care_team_add_member,
    care_team_end_membership,
    consent_record,
    consent_withdraw,
    emergency_access_declare,
    opposition_record,
    opposition_withdraw,
)
from identity_registry.exceptions import ApplicationError
from patients.models import Patient

VIEW_PERMISSION = "consent.view_careepisode"


@dataclass(frozen=True)
class Action:
    form_class: type[forms.PatientForm]
    permission: str
    run: Callable[[Any, Patient, dict[str, Any]], tuple[int, str]]


def _episode(user, patient, data):
    episode = care_episode_create(actor=user, patient=patient, **{k: v for k, v in data.items() if v is not None})
    return messages.SUCCESS, f"Épisode de soins ouvert : {episode}."


def _team_member(user, patient, data):
    member = care_team_add_member(actor=user, **data)
    return messages.SUCCESS, f"{member.professional} ajouté à l'équipe de soins."


def _feeding_information(user, patient, data):
    consent_record(actor=user, purpose=ConsentPurpose.FEEDING_INFORMATION, decision=ConsentDecision.INFORMED, **data)
    return messages.SUCCESS, "Information sur l'alimentation du DMP enregistrée."


def _consultation(user, patient, data):
    record = consent_record(actor=user, **data)
    return messages.SUCCESS, f"Enregistré : {record.get_purpose_display()} · {record.get_decision_display()}."


def _opposition(user, patient, data):
    opposition = opposition_record(actor=user, patient=patient, **data)
    return messages.SUCCESS, f"{opposition.get_kind_display()} enregistrée."


def _emergency(user, patient, data):
    result = emergency_access_declare(actor=user, **data)
    level = messages.SUCCESS if result.decision.allowed else messages.ERROR
    return level, result.decision.message


def _withdraw_consent(user, patient, data):
    record = get_object_or_404(ConsentRecord, pk=data["target"], episode__patient=patient)
    consent_withdraw(actor=user, consent=record, reason=data["reason"])
    return messages.SUCCESS, "Recueil retiré ; l'état antérieur reste dans l'historique."


def _withdraw_opposition(user, patient, data):
    opposition = get_object_or_404(PatientOpposition, pk=data["target"], patient=patient)
    opposition_withdraw(actor=user, opposition=opposition, reason=data["reason"])
    return messages.SUCCESS, "Opposition retirée ; l'état antérieur reste dans l'historique."


def _close_episode(user, patient, data):
    episode = get_object_or_404(CareEpisode, pk=data["target"], patient=patient)
    care_episode_update(actor=user, episode=episode, changes={"ended_at": timezone.now()})
    return messages.SUCCESS, "Épisode de soins clôturé."


def _end_membership(user, patient, data):
    member = get_object_or_404(CareTeamMember, pk=data["target"], episode__patient=patient)
    care_team_end_membership(actor=user, member=member)
    return messages.SUCCESS, f"{member.professional} ne fait plus partie de l'équipe de soins."


ACTIONS: dict[str, Action] = {
    "episode": Action(forms.EpisodeForm, "consent.add_careepisode", _episode),
    "team_member": Action(forms.TeamMemberForm, "consent.add_careteammember", _team_member),
    "feeding_information": Action(forms.FeedingInformationForm, "consent.record_consent", _feeding_information),
    "consultation": Action(forms.ConsultationConsentForm, "consent.record_consent", _consultation),
    "opposition": Action(forms.OppositionForm, "consent.record_consent", _opposition),
    "emergency": Action(forms.EmergencyForm, "consent.declare_emergency_access", _emergency),
    "withdraw_consent": Action(forms.WithdrawForm, "consent.record_consent", _withdraw_consent),
    "withdraw_opposition": Action(forms.WithdrawForm, "consent.record_consent", _withdraw_opposition),
    "close_episode": Action(forms.CloseEpisodeForm, "consent.change_careepisode", _close_episode),
    "end_membership": Action(forms.EndMembershipForm, "consent.change_careteammember", _end_membership),
}
# Row buttons rather than forms of their own on the page.
ROW_ACTIONS = ("withdraw_consent", "withdraw_opposition", "close_episode", "end_membership")
# Issue 12: one task at a time; the tab bar links to ?tache=<name>.
TASKS: dict[str, str] = {
    "episode": "Ouvrir un épisode",
    "team_member": "Équipe de soins",
    "feeding_information": "Information (alimentation)",
    "consultation": "Consultation du DMP",
    "opposition": "Opposition",
    "emergency": "Accès en urgence",
}
TASK_PARAM = "tache"
# Issue 12: these row buttons ask for confirmation before changing anything.
CONFIRMATIONS: dict[str, str] = {
    "close_episode": "Clôturer cet épisode de soins ?",
    "end_membership": "Retirer ce professionnel de l'équipe de soins ?",
}


def _confirmation(name: str, form: forms.PatientForm, patient: Patient) -> dict[str, Any] | None:
    """What the confirmation step shows, or None when the action may run now."""
    if name not in CONFIRMATIONS or form.cleaned_data.get("confirmed"):
        return None
    target = form.cleaned_data["target"]
    if name == "close_episode":
        subject = get_object_or_404(CareEpisode, pk=target, patient=patient)
        button = "Confirmer la clôture"
    else:
        subject = get_object_or_404(CareTeamMember, pk=target, episode__patient=patient)
        subject = f"{subject.professional} · {subject.role} ({subject.episode})"
        button = "Confirmer le retrait"
    return {"action": name, "target": target, "question": CONFIRMATIONS[name], "subject": subject, "button": button}


def _task_url(path: str, task: str | None) -> str:
    return f"{path}?{TASK_PARAM}={task}" if task in TASKS else path


def _apply_error(form: forms.PatientForm, exc: ApplicationError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for name, errors in details.items():
        if name in form.fields:
            for error in errors if isinstance(errors, list) else [errors]:
                form.add_error(name, str(error))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _identity_url(patient: Patient) -> str | None:
    """The identity page, when the patients admin registers one."""
    try:
        return reverse("admin:patients_patient_change", args=[patient.pk])
    except NoReverseMatch:
        return None


def patient_page(request: HttpRequest, patient_id: int, site: admin.AdminSite) -> HttpResponse:
    """Show the patient's episodes, consents, oppositions and emergency accesses; record each kind."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    patient = get_object_or_404(Patient, pk=patient_id)
    bound: dict[str, forms.PatientForm] = {}
    status = 200
    confirmation = None
    task = request.GET.get(TASK_PARAM, "")
    if request.method == "POST":
        name = request.POST.get("action", "")
        action = ACTIONS.get(name)
        if action is None:
            messages.error(request, "Action inconnue.")
            return HttpResponseRedirect(request.path)
        if not request.user.has_perm(action.permission):
            raise PermissionDenied
        form = action.form_class(request.POST, patient=patient, prefix=name)
        if name in TASKS:
            task = name
        if form.is_valid():
            confirmation = _confirmation(name, form, patient)
        if form.is_valid() and confirmation is None:
            try:
                level, text = action.run(request.user, patient, form.cleaned_data)
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.add_message(request, level, text)
                return HttpResponseRedirect(_task_url(request.path, task))
        if confirmation is None:
            messages.error(request, "L'enregistrement a été refusé : corrigez les erreurs signalées ci-dessous.")
            bound[name] = form
            status = 400
    page_forms = {
        name: bound.get(name) or action.form_class(patient=patient, prefix=name)
        for name, action in ACTIONS.items()
        if request.user.has_perm(action.permission) and name not in ROW_ACTIONS
    }
    if task not in page_forms:
        task = next(iter(page_forms), "")
    context = {
        **site.each_context(request),
        "title": "Consentements et accès DMP",
        "patient": patient,
        "identity_url": _identity_url(patient),
        "episodes": episode_list(patient=patient).prefetch_related("team__professional"),
        "consents": consents_for_patient(patient=patient, in_force_only=True),
        "withdrawn_consents": consents_for_patient(patient=patient).filter(withdrawn_at__isnull=False),
        "oppositions": oppositions_for_patient(patient=patient),
        "emergencies": emergency_accesses_for_patient(patient=patient),
        "forms": page_forms,
        "task": task,
        "tasks": [(name, label, _task_url(request.path, name)) for name, label in TASKS.items() if name in page_forms],
        "confirmation": confirmation,
        "can_withdraw": request.user.has_perm("consent.record_consent"),
        "can_close": request.user.has_perm("consent.change_careepisode"),
        "can_end_membership": request.user.has_perm("consent.change_careteammember"),
        "can_read_history": request.user.has_perm("consent.view_consent_history"),
        "wording": {
            "feeding": wording.FEEDING_INFORMATION,
            "consultation": wording.CONSULTATION,
            "representatives": wording.REPRESENTATIVES,
            "oppositions": wording.OPPOSITIONS,
            "emergency": wording.EMERGENCY,
        },
    }
    return TemplateResponse(request, "consent/admin/patient_page.html", context, status=status)
