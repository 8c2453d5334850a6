"""How the identity page shows identifiers of other systems and merges (RNIV AUD-05)."""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from patients.links import MergeRecord
from patients.lookup import resolve_survivor
from patients.models import Patient


def identifier_list(patient: Patient) -> SafeString | str:
    identifiers = list(patient.external_identifiers.select_related("authority"))
    if not identifiers:
        return "Aucun"
    rows = ((i.authority.label, i.authority.code, i.value) for i in identifiers)
    return format_html(
        '<ul class="external-identifiers">{}</ul>',
        format_html_join("", "<li>{} ({}) : <strong>{}</strong></li>", rows),
    )


def _link(patient: Patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def merge_context(patient: Patient) -> dict[str, Any]:
    """The banner of a merged identity and the list of what a survivor absorbed."""
    context: dict[str, Any] = {}
    if patient.merged_into_id is not None:
        survivor = resolve_survivor(patient)
        context["merged_into"] = {"patient": survivor, "url": _link(survivor)}
    records = MergeRecord.objects.filter(survivor=patient, unmerged_at__isnull=True).select_related("merged")
    context["absorbed"] = [
        {
            "patient": record.merged,
            "url": _link(record.merged),
            "merged_at": record.merged_at,
            "moved": sum(len(ids) for ids in record.moved.values()),
        }
        for record in records
    ]
    return context
