"""Selectors that find identities by their ids: the IPP and identifiers of other systems (AUD-05 aware)."""

from django.db.models import QuerySet

from patients.ipp import looks_like_ipp
from patients.links import ExternalIdentifier
from patients.models import Patient

MAX_MERGE_CHAIN = 20


def resolve_survivor(patient: Patient) -> Patient:
    """The identity to use for ``patient``: itself, or the survivor it was merged into (AUD-05)."""
    current, hops = patient, 0
    while current.merged_into_id is not None and hops < MAX_MERGE_CHAIN:
        current = Patient.objects.get(pk=current.merged_into_id)
        hops += 1
    return current


def patient_by_ipp(*, ipp: str) -> QuerySet[Patient]:
    """The identity holding this IPP; a merged identity's IPP finds its survivor (AUD-05)."""
    compact = "".join((ipp or "").split())
    holder = Patient.objects.filter(ipp=compact).first() if compact else None
    if holder is None:
        return Patient.objects.none()
    return Patient.objects.filter(pk=resolve_survivor(holder).pk)


def patient_by_ipp_text(text: str) -> QuerySet[Patient] | None:
    """The search box's IPP lookup: ``None`` when the text is no IPP or no identity holds it."""
    ipp = looks_like_ipp(text)
    if ipp is None:
        return None
    found = patient_by_ipp(ipp=ipp)
    return found if found.exists() else None


def patients_by_identifier(*, value: str, authority: str = "") -> QuerySet[Patient]:
    """Identities holding an identifier of another system (value compared as stored: no spaces, upper case)."""
    compact = "".join((value or "").split()).upper()
    holders = ExternalIdentifier.objects.filter(value=compact, in_force=True)
    if authority.strip():
        holders = holders.filter(authority__code=authority.strip())
    return Patient.objects.filter(pk__in=holders.values("patient_id"))


def patients_by_identifier_text(text: str) -> QuerySet[Patient] | None:
    """The search box's identifier lookup: ``None`` unless an active identity holds this exact value."""
    if not (text or "").strip() or len(text) > 100:
        return None
    found = patients_by_identifier(value=text).filter(is_active=True)
    return found if found.exists() else None
