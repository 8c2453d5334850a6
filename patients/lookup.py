"""Selectors that find identities by their ids: the IPP and identifiers of other systems (AUD-05 aware)."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from patients.ipp import looks_like_ipp
from patients.links import ExternalIdentifier
from patients.models import Patient

MAX_MERGE_CHAIN = 20


def _survivor_of(start: str) -> str:
    """SQL of the survivor's id: the identity ``start`` selects (a constant condition on one bound value),
    then the identities it was merged into, hop by hop, the last one (AUD-05), at most MAX_MERGE_CHAIN hops."""
    return (
        "WITH RECURSIVE chain(id, merged_into_id, hops) AS ("  # noqa: S608 - constants only, the value is bound
        f" SELECT id, merged_into_id, 0 FROM patients_patient WHERE {start} = %s"
        " UNION ALL SELECT p.id, p.merged_into_id, c.hops + 1 FROM patients_patient p"
        f" JOIN chain c ON p.id = c.merged_into_id WHERE c.hops < {MAX_MERGE_CHAIN})"
        f" SELECT id FROM chain WHERE merged_into_id IS NULL OR hops = {MAX_MERGE_CHAIN}"
    )


def resolve_survivor(patient: Patient) -> Patient:
    """The identity to use for ``patient``: itself, or the survivor it was merged into (AUD-05); one query
    for a chain of merges, none for an identity never merged."""
    if patient.merged_into_id is None:
        return patient
    return Patient.objects.get(pk__in=RawSQL(_survivor_of("id"), [patient.pk]))  # noqa: S611 - constant SQL


def patient_by_ipp(*, ipp: str) -> QuerySet[Patient]:
    """The identity holding this IPP; a merged identity's IPP finds its survivor (AUD-05).

    Lazy: the holder and its merge chain are read inside the query that reads the page (issue 10: a read
    costs at most 3 queries)."""
    compact = "".join((ipp or "").split())
    if not compact:
        return Patient.objects.none()
    return Patient.objects.filter(pk__in=RawSQL(_survivor_of("ipp"), [compact]))  # noqa: S611 - constant SQL


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
