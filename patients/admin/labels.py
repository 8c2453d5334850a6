"""Printed patient label and wristband, from the identity page (RNIV DM-01 for the Datamatrix INS).

The browser prints them; print CSS sizes them for common label printers. Each print is an access (AUD-03).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from patients.admin.display import status_badge
from patients.audit import patient_record_access
from patients.datamatrix import DatamatrixRefused, datamatrix_text, patient_datamatrix_identity
from patients.datamatrix_render import datamatrix_svg
from patients.ins import INS_OIDS
from patients.models import Patient
from patients.records import PatientAccess

PRINT_PERMISSION = "patients.view_patient"
NO_INS_REASON = (
    "Pas d'INS ni de Datamatrix sur cette étiquette : l'identité n'est pas qualifiée (statut {status}). "
    "Seule une identité qualifiée porte son INS (règles ST-04 et DM-01)."
)


def _grouped_matricule(matricule: str) -> str:
    # Printed as on the carte Vitale: 1 2 2 2 3 3 2 (sex, year, month, department, commune, order, key).
    cuts = (1, 3, 5, 7, 10, 13, 15)
    start, groups = 0, []
    for cut in cuts:
        groups.append(matricule[start:cut])
        start = cut
    return " ".join(groups)


def _printable(request: HttpRequest, patient_id: int) -> Patient:
    if not request.user.has_perm(PRINT_PERMISSION):
        raise PermissionDenied
    patient = get_object_or_404(Patient, pk=patient_id)
    patient_record_access(
        actor=request.user, patients=[patient], action=PatientAccess.Action.PRINT, channel=PatientAccess.Channel.SCREEN
    )
    return patient


def _context(request: HttpRequest, patient: Patient, title: str) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": Patient._meta,
        "title": title,
        "subtitle": None,
        "original": patient,
        "status_badge": status_badge(patient.status),
    }


def patient_label_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The patient label: strict traits, IPP, and for a QUAL identity the INS with its Datamatrix."""
    patient = _printable(request, patient_id)
    context = _context(request, patient, "Étiquette patient")
    try:
        text = datamatrix_text(patient_datamatrix_identity(patient))
    except DatamatrixRefused:
        context["no_ins_reason"] = NO_INS_REASON.format(status=patient.status_label.lower())
    else:
        # Our own SVG (path data and a fixed title only): safe to inline.
        context["datamatrix"] = mark_safe(datamatrix_svg(text))  # noqa: S308
        context["ins_printed"] = _grouped_matricule(patient.ins_matricule)
        context["ins_kind"] = INS_OIDS.get(patient.ins_oid, patient.ins_oid)
    return TemplateResponse(request, "admin/patients/patient/label.html", context)


def patient_wristband_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The wristband: birth name, first name, birth date, sex and IPP."""
    patient = _printable(request, patient_id)
    return TemplateResponse(
        request, "admin/patients/patient/wristband.html", _context(request, patient, "Bracelet d'identification")
    )
