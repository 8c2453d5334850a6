"""Issue 11 scenario (AUD-02, AUD-04): create → document → INSi → consent → DMP decision → read → downgrade →
incident, then the timeline exported as CSV and JSON: every event there, in order, with French labels."""

import csv
import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from insi.services.search import insi_search_for_patient
from patients import reasons, roles
from patients.events import PatientEvent
from patients.incidents.services import incident_open
from patients.services import identity_downgrade, identity_validate_document, patient_create
from tests.factories import UserFactory
from tests.patients.care_world import consent_and_dmp_decision

pytestmark = pytest.mark.django_db

ADRUN = {"birth_name": "ADRUN", "first_name": "ZOE", "sex": "F", "birth_date": date(1975, 12, 31)}


def member_of(group: str, username: str, **fields):
    user = UserFactory(username=username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def simulator(settings):
    settings.INSI_SIMULATOR_ALLOWED = True
    settings.INSI_SIMULATOR_DATA = ""


@pytest.fixture
def scenario():
    desk = member_of(roles.AGENT, "desk", first_name="Agnès", last_name="Accueil", email="agnes@chu.example")
    referent = member_of(roles.REFERENT, "referent", first_name="Rémi", last_name="Lefèvre")
    patient = patient_create(actor=desk, **ADRUN).patient
    identity_validate_document(actor=desk, patient=patient, document_type="PA", issuing_country="FR")
    insi_search_for_patient(actor=referent, patient=patient)
    patient.refresh_from_db()
    assert patient.status == "QUAL"
    retrieval = patient.history.filter(history_reason_code=reasons.INS_RETRIEVED).get()
    consent_and_dmp_decision(referent=referent, patient=patient)
    api = APIClient()
    api.force_authenticate(desk)
    assert api.get(f"/api/v1/patients/{patient.public_id}/").status_code == 200
    identity_downgrade(
        actor=referent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="Homonyme signalé"
    )
    opened = incident_open(
        actor=referent, patient=patient, kind="homonym", faulty_change=retrieval, reason="INS d'une homonyme"
    )
    patient.refresh_from_db()
    return patient, opened, desk


def export(patient, fmt: str):
    auditor = member_of(roles.AUDITOR, "auditor", first_name="Aude", last_name="Itrice")
    client = Client()
    client.force_login(auditor)
    response = client.get(reverse("patient-timeline", kwargs={"patient_id": patient.pk}), {"export": fmt})
    assert response.status_code == 200
    return response


STEPS = [
    ("identity", "Création de l'identité"),
    ("document", "Contrôle d'un justificatif d'identité"),
    ("insi", None),
    ("identity", "Récupération de l'INS (INSI-09)"),
    ("consent", None),
    ("dmp", None),
    ("access", "Consultation (API)"),
    ("identity", "Déclassement de l'identité (ST-06)"),
    ("incident", "Incident n° {n} ouvert : Confusion entre homonymes"),
    ("identity", "Déclassement : incident d'identité (AUD-04, ST-06)"),
    ("incident", "Alerte envoyée par courriel : incident n° {n}"),
]


def positions(rows: list[dict], number: int) -> list[int]:
    """Where each step of the scenario first appears in the exported rows."""
    found = []
    for kind, label in STEPS:
        matches = [
            i
            for i, row in enumerate(rows)
            if row["kind"] == kind and (label is None or row["label"] == label.format(n=number))
        ]
        assert matches, (kind, label)
        found.append(matches[0])
    return found


def test_aud04_scenario_json_export_holds_every_event_in_order_with_french_labels(scenario):
    patient, opened, desk = scenario
    rows = json.loads(export(patient, "json").content)
    assert rows == sorted(rows, key=lambda row: row["at"])
    steps = positions(rows, opened.incident.pk)
    assert steps == sorted(steps), [rows[i]["label"] for i in steps]
    incident_rows = [row for row in rows if row["kind"] == "incident"]
    assert {row["kind_label"] for row in incident_rows} == {"Incident d'identité (AUD-04)"}
    assert incident_rows[0]["reason"] == "INS d'une homonyme" and incident_rows[0]["actor"] == "Rémi Lefèvre"
    assert incident_rows[1]["details"] == "Destinataire : Agnès Accueil"
    # French everywhere: no reason code or kind code leaks into a label.
    for row in rows:
        assert row["kind_label"] != row["kind"] and "_" not in row["label"], row
    # The identity ended provisional, the desk agent who read it was mailed, and the feed says why.
    assert patient.status == "PROV"
    assert [m.to for m in mail.outbox] == [["agnes@chu.example"]]
    # The desk agent read it; the referent downgraded it (a write): listed, but not alerted, she opened it.
    assert [r.user.username for r in opened.readers] == [desk.username, "referent"]
    assert "incident_opened" in PatientEvent.objects.filter(patient=patient).order_by("-seq").first().kinds


def test_aud04_scenario_csv_export_holds_the_same_events_in_french(scenario):
    patient, opened, _ = scenario
    rows = json.loads(export(patient, "json").content)
    table = list(csv.reader(io.StringIO(export(patient, "csv").content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Date (heure de Paris)", "Type", "Événement"]
    body = table[1:]
    # The CSV carries the JSON's events (the JSON export is itself logged, so the CSV has one row more).
    assert [row[2] for row in body[: len(rows)]] == [row["label"] for row in rows]
    assert body[-1][1:3] == ["Consultation", "Export de la chronologie (Écran)"]
    types = {row[1] for row in body}
    for french in (
        "Modification de l'identité",
        "Justificatif d'identité",
        "Appel INSi",
        "Décision d'accès au DMP",
        "Consultation",
        "Incident d'identité (AUD-04)",
    ):
        assert french in types, french
    labels = [row[2] for row in body]
    number = opened.incident.pk
    assert labels.index("Déclassement de l'identité (ST-06)") < labels.index(
        f"Incident n° {number} ouvert : Confusion entre homonymes"
    )
