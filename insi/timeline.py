"""INSi calls and referents' decisions in the auditor's timeline (RNIV AUD-02), registered in InsiConfig.ready()."""

from insi.models import InsiCall, InsiProposal
from patients.extensions import TimelineSource
from patients.timeline import TimelineEntry

KINDS = {"insi": "Appel INSi", "insi_decision": "Décision sur un retour INSi"}


def _calls(ids: list[int]) -> list[TimelineEntry]:
    rows = InsiCall.objects.filter(patient_id__in=ids).select_related("actor")
    return [
        TimelineEntry(
            at=row.called_at,
            kind="insi",
            label=f"{row.get_operation_display()} : {row.get_outcome_display()}",
            actor=row.actor,
            details=f"Code retour {row.cr}" if row.cr else row.error_detail,
            patient_id=row.patient_id,
        )
        for row in rows
    ]


def _decisions(ids: list[int]) -> list[TimelineEntry]:
    rows = InsiProposal.objects.filter(patient_id__in=ids, decided_at__isnull=False).select_related("decided_by")
    return [
        TimelineEntry(
            at=row.decided_at,
            kind="insi_decision",
            label=f"{row.get_kind_display()} : {row.get_state_display()}",
            actor=row.decided_by,
            reason=row.justification,
            patient_id=row.patient_id,
        )
        for row in rows
    ]


def entries(ids: list[int]) -> list[TimelineEntry]:
    return _calls(ids) + _decisions(ids)


SOURCE = TimelineSource(name="insi", kinds=KINDS, entries=entries)
