"""RNIV AUD-02 (issue 11): the auditor's per-patient timeline, on screen, as CSV and JSON, and through the API."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from insi.services.search import insi_search_for_patient
from patients import roles
from patients.records import PatientAccess
from patients.services import identity_downgrade, identity_validate_document, patient_create
from patients.services.merge import patient_merge
from tests.factories import UserFactory
from tests.patients.care_world import consent_and_dmp_decision

pytestmark = pytest.mark.django_db

ADRUN = {"birth_name": "ADRUN", "first_name": "ZOE", "sex": "F", "birth_date": date(1975, 12, 31)}


def member_of(group: str, username: str, **names):
    user = UserFactory(username=username, is_staff=True, **names)
    user.groups.add(Group.objects.get(name=group))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def simulator(settings):
    settings.INSI_SIMULATOR_ALLOWED = True
    settings.INSI_SIMULATOR_DATA = ""


@pytest.fixture
def referent(db):
    return member_of(roles.REFERENT, "referent", first_name="Rémi", last_name="Lefèvre")


@pytest.fixture
def auditor(db):
    return member_of(roles.AUDITOR, "auditor", first_name="Aude", last_name="Itrice")


@pytest.fixture
def desk_agent(db):
    return member_of(roles.AGENT, "desk", first_name="Agnès", last_name="Accueil")


@pytest.fixture
def story(referent, desk_agent):
    """The issue's scenario: create → document → INSi → consent → DMP decision → read → downgrade."""
    patient = patient_create(actor=desk_agent, **ADRUN).patient
    identity_validate_document(actor=desk_agent, patient=patient, document_type="PA", issuing_country="FR")
    insi_search_for_patient(actor=referent, patient=patient)
    consent_and_dmp_decision(referent=referent, patient=patient)
    client = APIClient()
    client.force_authenticate(desk_agent)
    assert client.get(f"/api/v1/patients/{patient.public_id}/").status_code == 200
    identity_downgrade(
        actor=referent, patient=patient, withdraw_ins=True, withdraw_document=False, reason="Homonyme signalé"
    )
    patient.refresh_from_db()
    return patient


def screen_url(patient) -> str:
    return reverse("patient-timeline", kwargs={"patient_id": patient.pk})


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kinds_in_order(rows) -> list[str]:
    order = []
    for row in rows:
        if not order or order[-1] != row["kind"]:
            order.append(row["kind"])
    return order


def test_aud02_json_export_holds_every_event_in_order_with_french_labels(story, auditor):
    response = logged(auditor).get(screen_url(story), {"export": "json"})
    assert response.status_code == 200
    rows = json.loads(response.content)
    kinds = [row["kind"] for row in rows]
    for kind in ("identity", "document", "insi", "consent", "dmp", "access"):
        assert kind in kinds, kind
    assert rows == sorted(rows, key=lambda row: row["at"])
    # The story's steps, in the order they happened.
    first = {kind: kinds.index(kind) for kind in ("document", "insi", "consent", "dmp", "access")}
    assert first["document"] < first["insi"] < first["consent"] < first["dmp"] < first["access"]
    downgrade = [row for row in rows if row["label"] == "Déclassement de l'identité (ST-06)"]
    assert downgrade and rows.index(downgrade[-1]) > first["access"]
    assert downgrade[-1]["reason"] == "Homonyme signalé"
    assert downgrade[-1]["actor"] == "Rémi Lefèvre"
    assert downgrade[-1]["actor_role"] == roles.REFERENT
    assert rows[0]["label"] == "Création de l'identité"
    assert rows[0]["actor"] == "Agnès Accueil"
    assert not any("ST-06_DOWNGRADE" in row["label"] or "_" in row["label"] for row in rows)
    assert "Statut" in " ".join(row["details"] for row in rows if row["kind"] == "identity")


def test_aud02_csv_export_opens_with_accents_and_semicolons(story, auditor):
    response = logged(auditor).get(screen_url(story), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Date (heure de Paris)", "Type", "Événement"]
    labels = [row[2] for row in rows[1:]]
    assert "Déclassement de l'identité (ST-06)" in labels
    assert any(row[1] == "Décision d'accès au DMP" for row in rows[1:])
    assert any(row[1] == "Appel INSi" for row in rows[1:])


def test_aud02_export_is_logged_as_an_access(story, auditor):
    before = PatientAccess.objects.filter(patient=story, action=PatientAccess.Action.EXPORT).count()
    logged(auditor).get(screen_url(story), {"export": "csv"})
    logged(auditor).get(screen_url(story), {"export": "json"})
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.get(f"/api/v1/patients/{story.public_id}/timeline/").status_code == 200
    exports = PatientAccess.objects.filter(patient=story, action=PatientAccess.Action.EXPORT, user=auditor)
    assert exports.count() == before + 3
    # ... and the export shows in the next timeline, in French.
    rows = json.loads(logged(auditor).get(screen_url(story), {"export": "json"}).content)
    assert any(row["label"] == "Export de la chronologie (Écran)" for row in rows)


def test_aud02_screen_filters_by_kind_and_period(story, referent):
    client = logged(referent)
    page = client.get(screen_url(story))
    assert page.status_code == 200
    assert 'id="identity-timeline"' in page.content.decode() and "Exporter en CSV" in page.content.decode()
    only_insi = json.loads(client.get(screen_url(story), {"kind": "insi", "export": "json"}).content)
    assert only_insi and {row["kind"] for row in only_insi} == {"insi"}
    today = timezone.localdate().strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert json.loads(client.get(screen_url(story), {"start": today, "export": "json"}).content)
    assert json.loads(client.get(screen_url(story), {"start": tomorrow, "export": "json"}).content) == []
    bad = client.get(screen_url(story), {"start": "2026-01-01"})
    assert "Saisissez une date au format JJ/MM/AAAA." in bad.content.decode()
    assert client.get(screen_url(story), {"start": "2026-01-01", "export": "csv"}).status_code == 400


def test_aud02_desk_agent_gets_403_on_screen_and_api(story, desk_agent):
    assert logged(desk_agent).get(screen_url(story)).status_code == 403
    assert logged(desk_agent).get(screen_url(story), {"export": "csv"}).status_code == 403
    api = APIClient()
    api.force_authenticate(desk_agent)
    assert api.get(f"/api/v1/patients/{story.public_id}/timeline/").status_code == 403


def test_aud02_identity_page_links_to_the_timeline_for_referents_only(story, referent, desk_agent):
    change = reverse("admin:patients_patient_change", args=[story.pk])
    assert screen_url(story) in logged(referent).get(change).content.decode()
    assert screen_url(story) not in logged(desk_agent).get(change).content.decode()


def test_aud02_api_gives_english_fields_and_kind_codes(story, auditor):
    api = APIClient()
    api.force_authenticate(auditor)
    response = api.get(f"/api/v1/patients/{story.public_id}/timeline/", {"kind": "dmp"})
    assert response.status_code == 200
    assert response.json() and {row["kind"] for row in response.json()} == {"dmp"}
    assert set(response.json()[0]) >= {"at", "kind", "kind_label", "label", "actor", "actor_role", "reason"}
    assert api.get(f"/api/v1/patients/{story.public_id}/timeline/", {"kind": "nope"}).status_code == 400


def test_aud02_aud05_survivor_timeline_includes_the_absorbed_record(referent, auditor, desk_agent):
    survivor = patient_create(actor=desk_agent, **ADRUN).patient
    absorbed = patient_create(
        actor=desk_agent, **{**ADRUN, "first_name": "ZOÉ", "birth_date": date(1975, 12, 30)}
    ).patient
    identity_validate_document(actor=desk_agent, patient=absorbed, document_type="PA", issuing_country="FR")
    patient_merge(actor=referent, survivor=survivor, merged=absorbed, reason="Même personne, pièce vue")
    api = APIClient()
    api.force_authenticate(auditor)
    rows = api.get(f"/api/v1/patients/{survivor.public_id}/timeline/").json()
    assert any(row["patient"] == str(absorbed.public_id) and row["kind"] == "document" for row in rows)
    merges = [row for row in rows if row["kind"] == "merge"]
    assert merges and merges[0]["reason"] == "Même personne, pièce vue"


def test_aud02_duplicates_found_then_dismissed_appear_with_the_reason(referent, auditor):
    from patients.duplicates.selectors import duplicate_candidates, identity_values
    from patients.duplicates.services import duplicate_mark_not_duplicate, duplicate_record_suspected
    from tests.factories import PatientFactory

    born = date(1980, 5, 12)
    a = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=born)
    b = PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", birth_date=born)
    candidates = duplicate_candidates(values=identity_values(b), exclude=b)
    [pair] = duplicate_record_suspected(actor=referent, patient=b, candidates=candidates, source="CREATE")
    duplicate_mark_not_duplicate(actor=referent, pair=pair, reason="Sœurs jumelles, pièces vues")
    api = APIClient()
    api.force_authenticate(auditor)
    rows = api.get(f"/api/v1/patients/{a.public_id}/timeline/", {"kind": "duplicate"}).json()
    labels = [row["label"] for row in rows]
    assert labels[0].startswith("Doublon suspecté") and labels[-1].startswith("Pas un doublon")
    assert rows[-1]["reason"] == "Sœurs jumelles, pièces vues"
    assert rows[-1]["actor"] == "Rémi Lefèvre"


def test_aud02_csv_keeps_a_reason_typed_as_a_formula_as_text(referent, auditor, desk_agent):
    patient = patient_create(actor=desk_agent, **ADRUN).patient
    identity_validate_document(actor=desk_agent, patient=patient, document_type="PA", issuing_country="FR")
    identity_downgrade(
        actor=referent, patient=patient, withdraw_ins=False, withdraw_document=True, reason='=HYPERLINK("x")'
    )
    response = logged(auditor).get(screen_url(patient), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert '\'=HYPERLINK("x")' in [row[6] for row in rows]
