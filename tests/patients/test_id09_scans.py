"""RNIV ID-09: document scans checked by content, kept privately, served to permitted readers (logged), purged."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from patients import roles
from patients.models import IdentityDocument, Patient
from patients.records import IdempotencyRecord, PatientAccess, RetentionPurge
from patients.services import document_scans_purge, identity_validate_document
from patients.services.retention import SCAN_PURGE_TABLE
from patients.timeline import patient_full_timeline
from tests.factories import PatientFactory
from tests.patients.scan_samples import TEXT_AS_PDF, impostor, upload
from tests.staff import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def agent():
    return staff_member(roles.AGENT, username="agent.scan")


@pytest.fixture
def patient(agent):
    return PatientFactory(actor=agent, birth_name="DUPONT", first_name="JEANNE")


def screen(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def check_with_scan(patient: Patient, actor, kind: str = "pdf", **kwargs) -> IdentityDocument:
    return identity_validate_document(
        actor=actor, patient=patient, document_type="PA", issuing_country="FR", scan=upload(kind), **kwargs
    ).document


def check_without_scan(patient: Patient, actor) -> IdentityDocument:
    return identity_validate_document(actor=actor, patient=patient, document_type="PA", issuing_country="FR").document


def scan_url(document: IdentityDocument) -> str:
    return f"/admin/patients/identitydocument/{document.pk}/copie-numerisee/"


def api_scan_url(document: IdentityDocument) -> str:
    return f"/api/v1/patients/{document.patient.public_id}/documents/{document.pk}/scan/"


@pytest.mark.parametrize("kind", ["pdf", "jpg", "png"])
def test_id09_a_genuine_pdf_jpeg_or_png_is_stored_privately_under_a_random_name(kind, patient, agent, private_root):
    document = check_with_scan(patient, agent, kind)
    (stored,) = stored_files(private_root)
    assert stored.suffix == f".{kind}"
    # The name on disk says nothing of the patient (nor of the uploaded name "passeport").
    assert "DUPONT" not in stored.name.upper() and "passeport" not in stored.name
    assert document.scan.name.startswith("id-scans/")
    with pytest.raises(ValueError):
        document.scan.url  # noqa: B018 - a scan has no public URL


@pytest.mark.parametrize("content", [impostor(), impostor(TEXT_AS_PDF)], ids=["html_named_pdf", "text_named_pdf"])
def test_id09_a_pdf_that_is_really_html_or_text_is_refused_in_french_on_screen_and_nothing_is_stored(
    content, patient, agent, private_root
):
    response = screen(agent).post(
        f"/admin/patients/patient/{patient.pk}/verifier-piece/",
        {
            "document_type": "PA",
            "issuing_country": "FR",
            "is_copy": "original",
            "context": "standard",
            "traits_confirmed": "on",
            "read_version": patient.version,
            "scan": content,
        },
    )
    assert response.status_code == 200
    assert "ni un PDF, ni une image JPEG ou PNG" in response.content.decode()
    assert not IdentityDocument.objects.filter(patient=patient).exists()
    assert stored_files(private_root) == []
    patient.refresh_from_db()
    assert patient.status == "PROV"


def test_id09_the_api_refuses_an_html_page_named_pdf_with_a_400_and_stores_nothing(patient, agent, private_root):
    document = identity_validate_document(
        actor=agent, patient=patient, document_type="PA", issuing_country="FR"
    ).document
    response = api(agent).post(api_scan_url(document), {"scan": impostor()}, format="multipart")
    assert response.status_code == 400
    assert "ni un PDF, ni une image JPEG ou PNG" in response.json()["message"]
    assert stored_files(private_root) == []
    document.refresh_from_db()
    assert not document.scan


def test_id09_a_scan_over_the_size_limit_is_refused(settings, patient, agent, private_root):
    settings.ID_SCAN_MAX_BYTES = 200
    response = screen(agent).post(
        f"/admin/patients/patient/{patient.pk}/verifier-piece/",
        {
            "document_type": "PA",
            "issuing_country": "FR",
            "is_copy": "original",
            "context": "standard",
            "traits_confirmed": "on",
            "read_version": patient.version,
            "scan": upload("pdf"),
        },
    )
    assert "dépasse la taille maximale" in response.content.decode()
    assert stored_files(private_root) == []
    assert not IdentityDocument.objects.filter(patient=patient).exists()


def test_id09_the_api_attaches_a_scan_once_and_reads_it_back_logged(patient, agent, private_root):
    document = identity_validate_document(
        actor=agent, patient=patient, document_type="PA", issuing_country="FR"
    ).document
    client = api(agent)
    attached = client.post(api_scan_url(document), {"scan": upload("png")}, format="multipart")
    assert attached.status_code == 201 and attached.json()["has_scan"] is True
    again = client.post(api_scan_url(document), {"scan": upload("png")}, format="multipart")
    assert again.status_code == 409 and again.json()["code"] == "ID-09"
    read = client.get(api_scan_url(document))
    assert read.status_code == 200 and read["Content-Type"] == "image/png"
    assert b"".join(read.streaming_content).startswith(b"\x89PNG")
    assert read["Cache-Control"].startswith("no-store")
    logged = PatientAccess.objects.filter(patient=patient, action=PatientAccess.Action.SCAN, user=agent)
    assert logged.get().channel == PatientAccess.Channel.API
    labels = [e.label for e in patient_full_timeline(patient=patient)]
    assert "Copie numérisée du justificatif jointe (ID-09)" in labels


@pytest.mark.parametrize("role", [roles.AGENT, roles.REFERENT, roles.AUDITOR])
def test_id09_agents_referents_and_auditors_see_the_scan_and_each_view_is_logged(role, patient, agent):
    document = check_with_scan(patient, agent)
    reader = staff_member(role, username=f"lecteur-{role[:5]}")
    client = screen(reader)
    for _ in range(2):
        response = client.get(scan_url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    views = PatientAccess.objects.filter(patient=patient, user=reader, action=PatientAccess.Action.SCAN)
    assert views.count() == 2 and {v.channel for v in views} == {PatientAccess.Channel.SCREEN}


def test_id09_a_user_without_the_permission_gets_403_and_nothing_is_logged(patient, agent):
    document = check_with_scan(patient, agent)
    dpi = staff_member(roles.DPI, username="dpi.scan")
    assert screen(dpi).get(scan_url(document)).status_code == 403
    assert api(dpi).get(api_scan_url(document)).status_code == 403
    assert not PatientAccess.objects.filter(action=PatientAccess.Action.SCAN).exists()


def test_id09_the_scan_is_never_served_from_static_or_media_urls(patient, agent):
    document = check_with_scan(patient, agent)
    client = screen(staff_member(roles.REFERENT, username="ref.scan"))
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + document.scan.name).status_code == 404


def test_id09_a_scan_view_shows_in_the_patient_timeline(patient, agent):
    document = check_with_scan(patient, agent)
    screen(agent).get(scan_url(document))
    labels = [e.label for e in patient_full_timeline(patient=patient)]
    assert any(label.startswith("Consultation de la copie numérisée") for label in labels)


def _age(patient: Patient, days: int) -> None:
    """Put the identity's last activity ``days`` ago (raw UPDATE of the timestamps: tests only)."""
    then = timezone.now() - timedelta(days=days)
    Patient.objects.filter(pk=patient.pk).update(updated_at=then)
    IdentityDocument.objects.filter(patient=patient).update(checked_at=then)


def test_id09_purge_removes_the_file_past_retention_keeps_the_record_and_a_second_run_does_nothing(
    settings, patient, agent, private_root
):
    settings.ID_SCAN_RETENTION_DAYS = 1095
    document = check_with_scan(patient, agent)
    recent_patient = PatientFactory(actor=agent, birth_name="RECENTE")
    recent = check_with_scan(recent_patient, agent, "jpg")
    _age(patient, 1096)
    _age(recent_patient, 1000)

    call_command("purge_document_scans")

    document.refresh_from_db()
    assert not document.scan and document.scan_purged_at is not None
    assert document.document_type == "PA"  # the record and its type are kept
    recent.refresh_from_db()
    assert recent.scan  # within retention: kept
    assert [p.suffix for p in stored_files(private_root)] == [".jpg"]
    purge = RetentionPurge.objects.get(table=SCAN_PURGE_TABLE)
    assert purge.rows_deleted == 1 and purge.actor
    timeline = [e.label for e in patient_full_timeline(patient=patient)]
    assert any("purgée" in label for label in timeline)
    assert screen(agent).get(scan_url(document)).status_code == 404

    second = document_scans_purge(actor_name="test")
    assert second.purged == 0 and RetentionPurge.objects.filter(table=SCAN_PURGE_TABLE).count() == 1
    assert [p.suffix for p in stored_files(private_root)] == [".jpg"]


def test_id09_a_recent_check_of_another_document_keeps_the_old_scan(settings, patient, agent):
    document = check_with_scan(patient, agent)
    _age(patient, 2000)
    identity_validate_document(actor=agent, patient=patient, document_type="CN", issuing_country="FR")
    assert document_scans_purge(actor_name="test").purged == 0
    document.refresh_from_db()
    assert document.scan


def test_idempotency_records_are_purged_after_the_retention_delay(settings, agent):
    settings.IDEMPOTENCY_RETENTION_HOURS = 24
    old = IdempotencyRecord.objects.create(user=agent, key="old", scope="create", fingerprint="x", response_body={})
    fresh = IdempotencyRecord.objects.create(user=agent, key="new", scope="create", fingerprint="y", response_body={})
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    call_command("purge_idempotency_records")
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [fresh.pk]
    call_command("purge_idempotency_records")
    assert IdempotencyRecord.objects.filter(pk=fresh.pk).exists()


def test_id09_a_private_root_inside_the_media_files_is_refused_by_a_system_check(settings, tmp_path):
    from patients.checks import check_scan_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "scans"
    settings.ID_SCAN_RETENTION_DAYS = 3 * 365
    assert [p.id for p in check_scan_storage(None)] == ["patients.E001"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.ID_SCAN_RETENTION_DAYS = 6 * 365
    assert [p.id for p in check_scan_storage(None)] == ["patients.W001"]
