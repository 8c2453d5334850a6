"""Selectors that read INSi data: the call log, pending proposals, identities due for re-verification."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from insi.models import InsiCall, InsiProposal
from patients.models import Patient
from patients.status import Status


def patients_due_for_reverification(*, now: datetime | None = None) -> QuerySet[Patient]:
    """Active QUAL identities whose last successful INSi check is older than INS_REVERIFY_AFTER_DAYS (ST-08)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INS_REVERIFY_AFTER_DAYS)
    return (
        Patient.objects.filter(is_active=True, status=Status.QUAL)
        .filter(Q(ins_verified_at__lt=cutoff) | Q(ins_verified_at__isnull=True))
        .order_by("ins_verified_at", "id")
    )


def insi_calls_for_patient(*, patient: Patient) -> QuerySet[InsiCall]:
    return InsiCall.objects.filter(patient=patient).select_related("actor", "retry_of").order_by("-called_at", "-id")


def pending_proposal(*, patient: Patient) -> InsiProposal | None:
    return InsiProposal.objects.filter(patient=patient, state=InsiProposal.State.PENDING).first()
