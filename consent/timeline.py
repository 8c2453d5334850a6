"""Consents, oppositions, emergency accesses and DMP decisions in the auditor's timeline (RNIV AUD-02).

Registered in ConsentConfig.ready(): patients never imports consent.
"""

from consent.models import AccessDecisionLog, ConsentRecord, EmergencyAccess, PatientOpposition
from patients.extensions import TimelineSource
from patients.timeline import TimelineEntry

KINDS = {
    "consent": "Consentement, opposition ou accès d'urgence",
    "dmp": "Décision d'accès au DMP",
}


def _consents(ids: list[int]) -> list[TimelineEntry]:
    rows = ConsentRecord.objects.filter(episode__patient_id__in=ids).select_related(
        "episode", "collected_by", "withdrawn_by"
    )
    entries = []
    for row in rows:
        what = f"« {row.get_purpose_display()} »"
        given = f"Déclarant : {row.given_by_name} ({row.get_given_by_capacity_display()})"
        entries.append(
            TimelineEntry(
                row.collected_at,
                "consent",
                f"Consentement {what} : {row.get_decision_display()}",
                row.collected_by,
                details=given,
                patient_id=row.episode.patient_id,
            )
        )
        if row.withdrawn_at:
            entries.append(
                TimelineEntry(
                    row.withdrawn_at,
                    "consent",
                    f"Consentement {what} retiré",
                    row.withdrawn_by,
                    patient_id=row.episode.patient_id,
                )
            )
    return entries


def _oppositions(ids: list[int]) -> list[TimelineEntry]:
    rows = PatientOpposition.objects.filter(patient_id__in=ids).select_related("recorded_by", "withdrawn_by")
    entries = []
    for row in rows:
        what = f"Opposition « {row.get_kind_display()} »"
        given = f"Déclarant : {row.expressed_by_name} ({row.get_expressed_by_capacity_display()})"
        entries.append(TimelineEntry(row.recorded_at, "consent", what, row.recorded_by, "", given, row.patient_id))
        if row.withdrawn_at:
            entries.append(
                TimelineEntry(row.withdrawn_at, "consent", f"{what} retirée", row.withdrawn_by, "", "", row.patient_id)
            )
    return entries


def _emergencies(ids: list[int]) -> list[TimelineEntry]:
    rows = EmergencyAccess.objects.filter(episode__patient_id__in=ids).select_related("episode", "declared_by")
    return [
        TimelineEntry(
            row.declared_at,
            "consent",
            f"Accès d'urgence ({row.get_mode_display()})",
            row.declared_by,
            row.justification,
            patient_id=row.episode.patient_id,
        )
        for row in rows
    ]


def _decisions(ids: list[int]) -> list[TimelineEntry]:
    rows = AccessDecisionLog.objects.filter(patient_id__in=ids).select_related("requested_by")
    return [
        TimelineEntry(
            row.decided_at,
            "dmp",
            f"Accès au DMP {'autorisé' if row.allowed else 'refusé'} : {row.get_basis_display()}",
            row.requested_by,
            details=row.message,
            patient_id=row.patient_id,
        )
        for row in rows
    ]


def entries(ids: list[int]) -> list[TimelineEntry]:
    return _consents(ids) + _oppositions(ids) + _emergencies(ids) + _decisions(ids)


SOURCE = TimelineSource(name="consent", kinds=KINDS, entries=entries)
