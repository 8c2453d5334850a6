"""Read what a FHIR Patient shows of an identity, for many identities in a few queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from patients.links import ExternalIdentifier
from patients.lookup import resolve_survivor
from patients.models import IdentityDocument, Patient


@dataclass(frozen=True)
class OtherIdentifier:
    """An identifier given by another system (patients.links), with its authority."""

    authority_code: str
    authority_label: str
    authority_oid: str
    value: str


@dataclass(frozen=True)
class PatientFacts:
    """An identity and the facts around it that its Patient resource carries."""

    patient: Patient
    validation_mode: str = ""
    validation_date: date | None = None
    collection_date: date | None = None
    others: tuple[OtherIdentifier, ...] = ()
    replaced_by: str = ""  # public id of the survivor (AUD-05)
    replaces: tuple[str, ...] = field(default_factory=tuple)  # public ids of the identities merged into it


def _local_day(instant) -> date | None:
    return timezone.localdate(instant) if instant is not None else None


def patient_facts(patients: Iterable[Patient]) -> list[PatientFacts]:
    """The facts of each identity, in the order given (documents, identifiers and merges prefetched)."""
    listed = list(patients)
    if not listed:
        return []
    validating = IdentityDocument.objects.filter(can_validate=True).order_by("-checked_at", "-id")
    in_force = ExternalIdentifier.objects.filter(in_force=True).select_related("authority")
    loaded = Patient.objects.filter(pk__in=[p.pk for p in listed]).prefetch_related(
        Prefetch("documents", queryset=validating, to_attr="validating_documents"),
        Prefetch("external_identifiers", queryset=in_force, to_attr="identifiers_in_force"),
        Prefetch("absorbed", queryset=Patient.objects.order_by("id").only("id", "public_id", "merged_into_id")),
    )
    by_pk = {p.pk: p for p in loaded}
    return [_facts(by_pk[p.pk]) for p in listed if p.pk in by_pk]


def _facts(patient: Patient) -> PatientFacts:
    document = patient.validating_documents[0] if patient.validating_documents else None
    checked = patient.document_checked and document is not None
    others = tuple(
        OtherIdentifier(i.authority.code, i.authority.label, i.authority.oid, i.value)
        for i in patient.identifiers_in_force
    )
    survivor = resolve_survivor(patient) if patient.merged_into_id else None
    return PatientFacts(
        patient=patient,
        validation_mode=document.document_type if checked else "",
        validation_date=_local_day(patient.document_checked_at) if checked else None,
        collection_date=_local_day(patient.ins_verified_at) if patient.ins_verified else None,
        others=others,
        replaced_by=str(survivor.public_id) if survivor is not None else "",
        replaces=tuple(str(p.public_id) for p in patient.absorbed.all()),
    )
