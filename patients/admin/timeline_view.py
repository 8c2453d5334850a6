"""The auditor's timeline screen and its CSV/JSON exports (RNIV AUD-02), for referents and auditors."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from patients.admin.display import status_badge
from patients.audit import patient_record_access
from patients.models import Patient
from patients.records import PatientAccess
from patients.roles import TIMELINE_PERMISSION
from patients.timeline import patient_full_timeline, timeline_kinds
from patients.timeline_export import COLUMNS, timeline_csv, timeline_json, timeline_rows

DATE_FORMATS = ["%d/%m/%Y"]
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", timeline_csv),
    "json": ("application/json; charset=utf-8", timeline_json),
}


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Type", required=False)
    start = forms.DateField(
        label="Du (JJ/MM/AAAA)",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )
    end = forms.DateField(
        label="Au (JJ/MM/AAAA)",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tous"), *timeline_kinds().items()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("La date de début est postérieure à la date de fin.")
        return data


def patient_timeline_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The screen; ``?export=csv`` or ``?export=json`` downloads the filtered timeline, logged as an export."""
    if not request.user.has_perm(TIMELINE_PERMISSION):
        raise PermissionDenied
    patient = get_object_or_404(Patient, pk=patient_id)
    form = TimelineFilterForm(request.GET or None)
    rows: list[dict] = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        kinds = [data["kind"]] if data.get("kind") else None
        entries = patient_full_timeline(patient=patient, kinds=kinds, start=data.get("start"), end=data.get("end"))
        rows = timeline_rows(entries)
    export = request.GET.get("export", "")
    if export:
        if export not in EXPORTS:
            return HttpResponseBadRequest("Format d'export inconnu : choisissez csv ou json.")
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest("Filtre invalide : dates au format JJ/MM/AAAA, début avant la fin.")
        return _export(request, patient, rows, export)
    patient_record_access(
        actor=request.user,
        patients=[patient],
        action=PatientAccess.Action.HISTORY,
        channel=PatientAccess.Channel.SCREEN,
    )
    context = {
        **admin.site.each_context(request),
        "opts": Patient._meta,
        "title": "Chronologie de l'identité",
        "subtitle": None,
        "original": patient,
        "status_badge": status_badge(patient.status),
        "form": form,
        "rows": rows,
        "columns": COLUMNS,
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/patients/patient/identity_timeline.html", context)


def _export(request: HttpRequest, patient: Patient, rows: list[dict], export: str) -> HttpResponse:
    content_type, render = EXPORTS[export]
    # RNIV AUD-02/AUD-03: the export itself is an access to the identity.
    patient_record_access(
        actor=request.user, patients=[patient], action=PatientAccess.Action.EXPORT, channel=PatientAccess.Channel.SCREEN
    )
    response = HttpResponse(render(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="chronologie-{patient.public_id}.{export}"'
    return response
