"""RNIV AUD-04 (issue 11): identity incidents: downgrade to PROV, the readers since the faulty change, alerts."""

import smtplib
from datetime import date
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from identity_registry.exceptions import InvalidInput, RuleViolation
from patients import reasons, roles
from patients.audit import patient_record_access
from patients.events import PatientEvent
from patients.incidents.models import IncidentAlert, IncidentKind, IncidentStatus
from patients.incidents.selectors import faulty_change_choices, incident_readers
from patients.incidents.services import NO_ADDRESS, incident_close, incident_open
from patients.records import PatientAccess
from patients.services import patient_create, patient_merge, patient_update_traits
from tests.factories import UserFactory, check_passport, retrieve_ins

pytestmark = pytest.mark.django_db

ZOE = {"birth_name": "ADRUN", "first_name": "ZOE", "sex": "F", "birth_date": date(1975, 12, 31)}


def member_of(role: str, username: str, email: str = ""):
    user = UserFactory(username=username, is_staff=True, email=email)
    user.groups.add(Group.objects.get(name=role))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def referent():
    return member_of(roles.REFERENT, "referente", "referente@chu.example")


def read(user, patient, channel=PatientAccess.Channel.SCREEN, action=PatientAccess.Action.RETRIEVE):
    patient_record_access(actor=user, patients=[patient], action=action, channel=channel)


def faulty_ins(patient, referent):
    """INSi gives the identity someone else's INS: that version is the faulty change."""
    patient = retrieve_ins(patient, actor=referent)
    return patient, patient.history.order_by("-history_date", "-history_id").first()


@pytest.fixture
def wrong_identity(referent):
    """Three accounts read before the faulty change, two after it (one of them an API account without address)."""
    agent = member_of(roles.AGENT, "agent-accueil")
    patient = check_passport(patient_create(actor=agent, **ZOE).patient, actor=agent)
    before = [member_of(roles.AGENT, f"avant-{n}", f"avant-{n}@chu.example") for n in range(3)]
    for user in before:
        read(user, patient)
    patient, change = faulty_ins(patient, referent)
    nurse = member_of(roles.AGENT, "apres-ecran", "apres@chu.example")
    dpi = member_of(roles.DPI, "dpi-service")
    read(nurse, patient)
    read(nurse, patient, action=PatientAccess.Action.SEARCH)
    read(dpi, patient, channel=PatientAccess.Channel.API)
    return patient, change, before, nurse, dpi


def test_aud04_incident_lists_exactly_the_two_accounts_that_read_after_the_faulty_change(referent, wrong_identity):
    patient, change, before, nurse, dpi = wrong_identity
    opened = incident_open(
        actor=referent, patient=patient, kind=IncidentKind.WRONG_INS, faulty_change=change, reason="INS d'un homonyme"
    )
    assert [r.user for r in opened.readers] == [nurse, dpi]
    assert [r.user for r in incident_readers(incident=opened.incident)] == [nurse, dpi]
    assert not {u.pk for u in before} & {r.user.pk for r in opened.readers}
    nurse_row = opened.readers[0]
    assert nurse_row.reads == 2
    assert nurse_row.how == ["Consultation (Écran)", "Résultat de recherche (Écran)"]
    assert opened.readers[1].how == ["Consultation (API)"]
    # One alert per reader: the nurse's mailed, the API account's recorded as not sent (no address).
    alerts = {a.recipient: a for a in IncidentAlert.objects.filter(incident=opened.incident)}
    assert set(alerts) == {nurse, dpi}
    assert alerts[nurse].sent and alerts[nurse].address == "apres@chu.example"
    assert not alerts[dpi].sent and alerts[dpi].failure == NO_ADDRESS
    assert [m.to for m in mail.outbox] == [["apres@chu.example"]]


def test_aud04_the_alert_names_the_ipp_and_the_link_never_a_trait_in_its_subject(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    incident_open(actor=referent, patient=patient, kind=IncidentKind.HOMONYM, faulty_change=change, reason="Homonyme")
    (message,) = mail.outbox
    assert "incident n°" in message.subject and "Identitovigilance" in message.subject
    for trait in ("ADRUN", "ZOE", "1975", "31/12", patient.ipp):
        assert trait not in message.subject
    assert f"IPP {patient.ipp}" in message.body
    assert f"/admin/patients/patient/{patient.pk}/change/" in message.body
    assert "Confusion entre homonymes" in message.body
    assert "ADRUN" not in message.body and "ZOE" not in message.body and "Homonyme" not in message.body


def test_aud04_opening_downgrades_the_identity_to_prov_with_the_incident_as_reason(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    assert patient.status == "QUAL"
    opened = incident_open(
        actor=referent, patient=patient, kind=IncidentKind.USURPATION, faulty_change=change, reason="Carte prêtée"
    )
    patient.refresh_from_db()
    assert patient.status == "PROV" and not patient.ins_matricule and not patient.document_checked
    last = patient.history.order_by("-history_date", "-history_id").first()
    assert last.history_reason_code == reasons.INCIDENT_DOWNGRADE
    assert f"Incident d'identité n° {opened.incident.pk}" in last.history_change_reason
    assert "Carte prêtée" in last.history_change_reason
    # The events feed tells downstream systems, in the same event as the status change.
    event = PatientEvent.objects.filter(patient=patient).order_by("-seq").first()
    assert "incident_opened" in event.kinds and "status" in event.kinds and "ins" in event.kinds
    assert opened.incident.downgraded and opened.incident.status == IncidentStatus.OPEN


def test_aud04_an_incident_on_a_provisional_identity_opens_without_downgrade(referent):
    patient = patient_create(actor=referent, **ZOE).patient
    change = patient.history.get()
    opened = incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Erreur")
    assert not opened.incident.downgraded
    assert PatientEvent.objects.filter(patient=patient).order_by("-seq").first().kinds == ["incident_opened"]


def test_aud04_refusals_unknown_kind_foreign_change_no_reason_second_open_incident(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    other = patient_create(actor=referent, birth_name="AUTRE", first_name="ANNE", sex="F", birth_date=date(1980, 1, 1))
    foreign = other.patient.history.get()
    with pytest.raises(InvalidInput, match="modification fautive"):
        incident_open(actor=referent, patient=patient, kind="other", faulty_change=foreign, reason="x")
    with pytest.raises(InvalidInput, match="Nature d'incident inconnue"):
        incident_open(actor=referent, patient=patient, kind="typo", faulty_change=change, reason="x")
    with pytest.raises(InvalidInput, match="motif est obligatoire"):
        incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="  ")
    with pytest.raises(InvalidInput, match="trop long"):
        incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="x" * 1001)
    incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Erreur")
    with pytest.raises(RuleViolation, match="déjà ouvert") as refused:
        incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Encore")
    assert refused.value.code == "AUD-04"


def test_aud04_closing_needs_a_reason_and_keeps_the_history(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    incident = incident_open(
        actor=referent, patient=patient, kind="other", faulty_change=change, reason="Erreur"
    ).incident
    with pytest.raises(InvalidInput, match="motif est obligatoire"):
        incident_close(actor=referent, incident=incident, reason="")
    closed = incident_close(actor=referent, incident=incident, reason="Données reclassées, équipes prévenues")
    assert closed.status == IncidentStatus.CLOSED and closed.closed_by == referent and closed.closed_at
    with pytest.raises(RuleViolation, match="déjà clôturé"):
        incident_close(actor=referent, incident=incident, reason="Encore")
    history = list(closed.history.order_by("history_date").values_list("status", "history_reason_code"))
    assert history == [("open", reasons.INCIDENT_OPENED), ("closed", reasons.INCIDENT_CLOSED)]
    assert PatientEvent.objects.filter(patient=patient).order_by("-seq").first().kinds == ["incident_closed"]
    # Closed, the identity may get a new incident.
    incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Nouvelle erreur")


def test_aud04_a_mail_server_refusal_is_recorded_and_retried_later(referent, wrong_identity, settings):
    from patients.incidents.services import MAIL_REFUSED, incident_send_alerts

    patient, change, _, nurse, _ = wrong_identity
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=smtplib.SMTPException):
        opened = incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Erreur")
    refused = IncidentAlert.objects.get(incident=opened.incident, recipient=nurse)
    assert not refused.sent and refused.failure == MAIL_REFUSED
    retried = incident_send_alerts(actor=referent, incident=opened.incident)
    assert [(a.recipient, a.sent) for a in retried] == [(nurse, True), (retried[1].recipient, False)]
    # Sent once: a second round sends the nurse nothing more.
    assert nurse not in [a.recipient for a in incident_send_alerts(actor=referent, incident=opened.incident)]
    assert len(mail.outbox) == 1


def test_aud04_faulty_change_choices_list_the_versions_without_trait_values(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    choices = faulty_change_choices(patient=patient)
    assert choices[0].history_id == change.history_id
    assert "Récupération de l'INS (INSI-09)" in choices[0].label and "matricule INS" in choices[0].label
    assert "referente" in choices[0].label
    assert choices[-1].label.endswith("création") and all("ADRUN" not in c.label for c in choices)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the AUD-01 triggers are PostgreSQL's")
def test_aud04_the_alert_log_is_append_only(referent, wrong_identity):
    patient, change, *_ = wrong_identity
    incident_open(actor=referent, patient=patient, kind="other", faulty_change=change, reason="Erreur")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        IncidentAlert.objects.update(sent=True)


def test_aud04_a_write_after_the_faulty_change_counts_its_author_not_the_faulty_change_itself(referent):
    agent = member_of(roles.AGENT, "agent-ecrit", "ecrit@chu.example")
    patient = patient_create(actor=agent, **ZOE).patient
    patient, change = faulty_ins(patient, referent)
    patient_update_traits(actor=agent, patient=patient, changes={"phone": "0102030405"})
    opened = incident_open(actor=referent, patient=patient, kind="wrong_ins", faulty_change=change, reason="Erreur")
    # The referent made the faulty change (not listed for it); the agent edited the identity afterwards.
    assert [(r.user, r.how) for r in opened.readers] == [(agent, ["Modification de l'identité"])]
    assert [m.to for m in mail.outbox] == [["ecrit@chu.example"]]


def test_aud04_reads_of_a_record_merged_into_the_identity_count(referent):
    patient = patient_create(actor=referent, **ZOE).patient
    patient, change = faulty_ins(patient, referent)
    twin = patient_create(actor=referent, birth_name="ADRUN", first_name="ZOÉ", sex="F", birth_date=date(1975, 12, 31))
    reader = member_of(roles.AGENT, "lecteur-doublon", "doublon@chu.example")
    read(reader, twin.patient)
    patient_merge(actor=referent, survivor=patient, merged=twin.patient, reason="Doublon")
    opened = incident_open(actor=referent, patient=patient, kind="homonym", faulty_change=change, reason="Erreur")
    assert reader in [r.user for r in opened.readers]
