"""Services of the identity incidents (RNIV AUD-04, ST-06): open, alert the readers, close."""

import logging
import smtplib
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from identity_registry.exceptions import InvalidTransition, RuleViolation
from identity_registry.history import stamp_history
from identity_registry.inputs import REASON_MAX_LENGTH
from patients import reasons
from patients.events import EventKind, emit_patient_event
from patients.incidents.mail import alert_message
from patients.incidents.models import Incident, IncidentAlert, IncidentKind, IncidentStatus
from patients.incidents.selectors import Reader, incident_readers
from patients.models import Patient
from patients.services import identity_downgrade, lock_patient
from patients.services.common import invalid, require_reason

logger = logging.getLogger(__name__)

NO_ADDRESS = "Pas d'adresse de courriel pour ce compte"
MAIL_REFUSED = "Le serveur de courriel a refusé l'envoi"
ALREADY_OPEN = "Un incident est déjà ouvert sur cette identité : complétez-le ou clôturez-le (règle AUD-04)."
ALREADY_CLOSED = "Cet incident est déjà clôturé."


@dataclass
class IncidentOpened:
    """What opening returns: the incident, the accounts that read the wrong identity, the alerts recorded."""

    incident: Incident
    readers: list[Reader] = field(default_factory=list)
    alerts: list[IncidentAlert] = field(default_factory=list)


def _reason(reason: str, field_name: str = "reason") -> str:
    text = require_reason(reason, "AUD-04")
    if len(text) > REASON_MAX_LENGTH:
        raise invalid(field_name, f"Le motif est trop long : {REASON_MAX_LENGTH} caractères au plus.")
    return text


def _kind(value: str) -> str:
    if value not in IncidentKind.values:
        raise invalid("kind", "Nature d'incident inconnue : " + ", ".join(IncidentKind.values) + ".")
    return value


@transaction.atomic
def _open(*, actor: Any, patient: Patient | int, kind: str, faulty_change: Any, reason: str) -> Incident:
    text = _reason(reason)
    kind = _kind(kind)
    locked = lock_patient(patient)
    history_id = getattr(faulty_change, "history_id", faulty_change)
    change = locked.history.filter(history_id=history_id).first() if isinstance(history_id, int) else None
    if change is None:
        raise invalid("faulty_change", "Choisissez la modification fautive dans l'historique de cette identité.")
    if Incident.objects.filter(patient=locked, status=IncidentStatus.OPEN).exists():
        raise RuleViolation(ALREADY_OPEN, code="AUD-04")
    incident = Incident(
        patient=locked,
        kind=kind,
        reason=text,
        faulty_change=change,
        faulty_change_at=change.history_date,
        opened_by=actor,
        opened_at=timezone.now(),
    )
    # RNIV ST-06: the identity goes back to PROV, the incident being the reason (AUD-04).
    incident.downgraded = locked.ins_verified or locked.document_checked
    stamp_history(incident, actor=actor, reason_code=reasons.INCIDENT_OPENED, reason=text)
    incident.save()
    why = f"Incident d'identité n° {incident.pk} ({incident.get_kind_display()}) : {text}"
    if incident.downgraded:
        identity_downgrade(
            actor=actor,
            patient=locked,
            withdraw_ins=True,
            withdraw_document=True,
            reason=why,
            reason_code=reasons.INCIDENT_DOWNGRADE,
            event_kinds=(EventKind.INCIDENT_OPENED,),
        )
    else:
        emit_patient_event(locked, [EventKind.INCIDENT_OPENED])
    return incident


def incident_open(*, actor: Any, patient: Patient | int, kind: str, faulty_change: Any, reason: str) -> IncidentOpened:
    """Open an incident on a wrong identity, downgrade it to PROV and alert whoever read it since the faulty change.

    ``faulty_change`` is a historical record of the identity (or its ``history_id``). The alerts go out only
    after the incident and the downgrade commit: a mail cannot be taken back, so none is sent for an incident
    that a failure would roll back (call it outside a transaction, as the views do). Each alert, sent or not, is
    recorded.
    """
    incident = _open(actor=actor, patient=patient, kind=kind, faulty_change=faulty_change, reason=reason)
    readers = incident_readers(incident=incident)
    alerts = incident_send_alerts(actor=actor, incident=incident, readers=readers)
    return IncidentOpened(incident, readers, alerts)


def incident_send_alerts(*, actor: Any, incident: Incident, readers: list[Reader] | None = None) -> list[IncidentAlert]:
    """Alert each reader not yet alerted successfully, but the incident's opener; record one row per alert (AUD-04).

    An account without an address, or a refusal of the mail server, is recorded as not sent, with why.
    """
    if readers is None:
        readers = incident_readers(incident=incident)
    done = set(IncidentAlert.objects.filter(incident=incident, sent=True).values_list("recipient_id", flat=True))
    # The referent who opens the incident is listed among the readers, but knows already: no alert to them.
    done.add(incident.opened_by_id)
    connection = get_connection(fail_silently=False)
    alerts = []
    for reader in readers:
        if reader.user.pk in done:
            continue
        address = (reader.user.email or "").strip()
        failure = "" if address else NO_ADDRESS
        if address:
            try:
                connection.send_messages([alert_message(incident=incident, reader=reader, address=address)])
            except (smtplib.SMTPException, OSError) as exc:
                # The class only: the server's answer may quote the address.
                logger.warning("AUD-04 alert of incident %s not sent: %s", incident.pk, type(exc).__name__)
                failure = MAIL_REFUSED
        alert = IncidentAlert(
            incident=incident,
            recipient=reader.user,
            address=address,
            sent=not failure,
            failure=failure,
            recorded_at=timezone.now(),
        )
        alert.save()
        alerts.append(alert)
    return alerts


@transaction.atomic
def incident_close(*, actor: Any, incident: Incident | int, reason: str) -> Incident:
    """Close an incident with a mandatory reason (AUD-04); the identity stays as it is (re-qualify it apart)."""
    text = _reason(reason)
    pk = incident.pk if isinstance(incident, Incident) else incident
    locked = Incident.objects.select_for_update().select_related("patient").get(pk=pk)
    if locked.status == IncidentStatus.CLOSED:
        raise InvalidTransition(ALREADY_CLOSED, code="AUD-04")
    locked.status = IncidentStatus.CLOSED
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.closing_reason = text
    stamp_history(locked, actor=actor, reason_code=reasons.INCIDENT_CLOSED, reason=text)
    locked.save()
    emit_patient_event(locked.patient, [EventKind.INCIDENT_CLOSED])
    return locked
