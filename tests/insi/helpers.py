"""Helpers shared by the INSi tests."""

from django.forms.models import model_to_dict

from insi.models import InsiCall
from patients.models import InsHistoryEntry, Patient


def snapshot(patient: Patient) -> dict:
    """Everything a user could notice about an identity: its fields, its history rows and its INS history."""
    fresh = Patient.objects.get(pk=patient.pk)
    return {
        "fields": model_to_dict(fresh),
        "status": fresh.status,
        "version": fresh.version,
        "updated_at": fresh.updated_at,
        "history": fresh.history.count(),
        "ins_history": InsHistoryEntry.objects.filter(patient=fresh).count(),
    }


def calls_of(patient: Patient) -> list[InsiCall]:
    return list(InsiCall.objects.filter(patient=patient).order_by("called_at", "id"))
