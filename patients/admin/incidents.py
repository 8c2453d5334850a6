"""Identity incidents in the admin (RNIV AUD-04): referents open and close them, auditors read, nobody edits."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from identity_registry.exceptions import ApplicationError
from identity_registry.history_admin import ReadOnlyHistoryAdmin
from identity_registry.inputs import REASON_MAX_LENGTH, reject_bidi_controls
from identity_registry.local_time import local_datetime
from patients.admin.display import status_badge
from patients.incidents.models import Incident, IncidentAlert, IncidentKind, IncidentStatus
from patients.incidents.selectors import faulty_change_choices, incident_alerts, incident_readers
from patients.incidents.services import incident_close, incident_open
from patients.models import Patient
from patients.roles import INCIDENT_CLOSE_PERMISSION, INCIDENT_OPEN_PERMISSION
from patients.timeline import actor_name, actor_role


def _reason_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_bidi_controls],
    )


class IncidentOpenForm(forms.Form):
    kind = forms.ChoiceField(label="Nature de l'incident", choices=IncidentKind.choices)
    faulty_change = forms.TypedChoiceField(label="Modification fautive", coerce=int, widget=forms.RadioSelect)
    reason = _reason_field("Motif (sans traits d'identité : il figure dans la chronologie)")

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faulty_change"].choices = [(c.history_id, c.label) for c in faulty_change_choices(patient=patient)]


class IncidentCloseForm(forms.Form):
    reason = _reason_field("Motif de clôture")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "opened_at", "identity", "kind", "status", "opened_by", "closed_at"]
    list_filter = ["status", "kind", ("opened_at", admin.DateFieldListFilter)]
    list_select_related = ["patient", "opened_by"]
    change_form_template = "admin/patients/incident/change_form.html"
    fields = [
        "identity",
        "kind",
        "reason",
        "faulty_change_label",
        "status",
        "opened_by",
        "opened_at",
        "downgraded",
        "closed_by",
        "closed_at",
        "closing_reason",
    ]
    readonly_fields = fields

    @admin.display(description="n°", ordering="pk")
    def number(self, obj: Incident) -> int:
        return obj.pk

    @admin.display(description="identité")
    def identity(self, obj: Incident) -> str:
        url = reverse("admin:patients_patient_change", args=[obj.patient_id])
        return format_html('<a href="{}">IPP {}</a>', url, obj.patient.ipp)

    @admin.display(description="modification fautive")
    def faulty_change_label(self, obj: Incident) -> str:
        who = obj.faulty_change.history_user
        return f"{local_datetime(obj.faulty_change_at)} · {who.get_username() if who else 'Système'}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # opened from the identity page (open_view), which names the identity

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # closed through close_view, with a reason; nothing else changes

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("open/<int:patient_id>/", wrap(self.open_view), name="patients_incident_open"),
            path("<int:incident_id>/close/", wrap(self.close_view), name="patients_incident_close"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        extra = dict(extra_context or {})
        incident = (
            Incident.objects.filter(pk=object_id).select_related("patient").first() if object_id.isdigit() else None
        )
        if incident is not None:
            extra["readers"] = [
                {
                    "name": actor_name(r.user),
                    "role": actor_role(r.user),
                    "first": local_datetime(r.first_at),
                    "last": local_datetime(r.last_at),
                    "reads": r.reads,
                    "how": ", ".join(r.how),
                }
                for r in incident_readers(incident=incident)
            ]
            extra["alerts"] = incident_alerts(incident=incident)
            if incident.status == IncidentStatus.OPEN and request.user.has_perm(INCIDENT_CLOSE_PERMISSION):
                extra["close_url"] = reverse("admin:patients_incident_close", args=[incident.pk])
        return super().change_view(request, object_id, form_url, extra)

    def _page(self, request: HttpRequest, template: str, title: str, **context: Any) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}
        return TemplateResponse(request, template, context)

    def open_view(self, request: HttpRequest, patient_id: int) -> HttpResponse:
        if not request.user.has_perm(INCIDENT_OPEN_PERMISSION):
            raise PermissionDenied
        patient = get_object_or_404(Patient, pk=patient_id)
        form = IncidentOpenForm(request.POST or None, patient=patient)
        if request.method == "POST" and form.is_valid():
            try:
                opened = incident_open(actor=request.user, patient=patient, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                sent = sum(1 for a in opened.alerts if a.sent)
                messages.success(
                    request,
                    f"Incident n° {opened.incident.pk} ouvert : identité repassée au statut provisoire ; "
                    f"{len(opened.readers)} compte(s) l'ont consultée depuis la modification fautive, "
                    f"{sent} alerte(s) envoyée(s), {len(opened.alerts) - sent} non envoyée(s).",
                )
                return HttpResponseRedirect(reverse("admin:patients_incident_change", args=[opened.incident.pk]))
        return self._page(
            request,
            "admin/patients/incident/open.html",
            "Déclarer un incident d'identité",
            form=form,
            patient=patient,
            status_badge=status_badge(patient.status),
            patient_url=reverse("admin:patients_patient_change", args=[patient.pk]),
        )

    def close_view(self, request: HttpRequest, incident_id: int) -> HttpResponse:
        if not request.user.has_perm(INCIDENT_CLOSE_PERMISSION):
            raise PermissionDenied
        incident = get_object_or_404(Incident.objects.select_related("patient"), pk=incident_id)
        form = IncidentCloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                incident_close(actor=request.user, incident=incident, reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Incident n° {incident.pk} clôturé.")
                return HttpResponseRedirect(reverse("admin:patients_incident_change", args=[incident.pk]))
        return self._page(
            request,
            "admin/patients/incident/close.html",
            f"Clôturer l'incident n° {incident.pk}",
            form=form,
            incident=incident,
        )


@admin.register(IncidentAlert)
class IncidentAlertAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "incident", "recipient", "address", "channel", "sent", "failure"]
    list_filter = ["sent", ("recorded_at", admin.DateFieldListFilter)]
    list_select_related = ["incident", "recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
