"""Incidents in the auditor's timeline (RNIV AUD-02, AUD-04): opened, each alert, closed."""

from identity_registry.local_time import local_datetime
from patients.extensions import TimelineSource
from patients.incidents.models import Incident, IncidentAlert
from patients.timeline import TimelineEntry, actor_name

KIND = "incident"
KINDS = {KIND: "Incident d'identité (AUD-04)"}


def entries(ids: list[int]) -> list[TimelineEntry]:
    entries = []
    incidents = Incident.objects.filter(patient_id__in=ids).select_related("opened_by", "closed_by")
    for incident in incidents:
        entries.append(
            TimelineEntry(
                at=incident.opened_at,
                kind=KIND,
                label=f"Incident n° {incident.pk} ouvert : {incident.get_kind_display()}",
                actor=incident.opened_by,
                reason=incident.reason,
                details=f"Modification fautive du {local_datetime(incident.faulty_change_at)}",
                patient_id=incident.patient_id,
            )
        )
        if incident.closed_at:
            entries.append(
                TimelineEntry(
                    at=incident.closed_at,
                    kind=KIND,
                    label=f"Incident n° {incident.pk} clôturé",
                    actor=incident.closed_by,
                    reason=incident.closing_reason,
                    patient_id=incident.patient_id,
                )
            )
    alerts = IncidentAlert.objects.filter(incident__patient_id__in=ids).select_related(
        "recipient", "incident__opened_by"
    )
    for alert in alerts:
        state = "Alerte envoyée par courriel" if alert.sent else f"Alerte non envoyée ({alert.failure})"
        entries.append(
            TimelineEntry(
                at=alert.recorded_at,
                kind=KIND,
                label=f"{state} : incident n° {alert.incident_id}",
                actor=alert.incident.opened_by,
                details=f"Destinataire : {actor_name(alert.recipient)}",
                patient_id=alert.incident.patient_id,
            )
        )
    return entries


SOURCE = TimelineSource(name="incidents", kinds=KINDS, entries=entries)
