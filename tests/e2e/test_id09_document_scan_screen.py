"""Issue 12 / ID-09 in a real browser: the agent compares the strict traits, ticks the box, attaches a scan."""

import re

import pytest

from patients import roles
from patients.records import PatientAccess
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.patients.scan_samples import pdf_bytes
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_id09_agent_checks_a_passport_against_the_strict_traits_and_attaches_its_scan(
    page, live_server, screenshot, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    agent = staff_member(roles.AGENT, username="agent.scan")
    patient = PatientFactory(
        birth_name="DE LA FONTAINE", first_name="MARIE-CHRISTINE", first_names="MARIE-CHRISTINE ODILE", sex="F"
    )
    log_in(page, live_server, "agent.scan")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
    page.get_by_role("link", name="Vérifier une pièce d'identité").click()

    traits = page.locator("#strict-traits")
    expect(traits).to_contain_text("MARIE-CHRISTINE ODILE")
    expect(traits).to_contain_text("Lieu de naissance")
    page.locator("#id_document_type").select_option(label="Passeport")
    page.locator("#id_issuing_country").fill("FR")
    page.locator("#id_document_number").fill("12ab34567")
    page.locator("#id_expires_on").fill("31/12/2031")
    page.locator("#id_scan").set_input_files(
        files=[{"name": "passeport-de-la-fontaine.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_label("Les traits sont conformes au justificatif").check()
    screenshot(page, "id09-document-check-form")
    page.get_by_role("button", name="Enregistrer le contrôle").click()

    expect(page).to_have_url(re.compile(r"/admin/patients/patient/\d+/change/$"))
    expect(page.locator(".field-status_badge")).to_contain_text("VALI · Identité validée")
    documents = page.locator("#identity-documents")
    expect(documents).to_contain_text("12AB34567")
    link = documents.get_by_role("link", name="Afficher la copie")
    expect(link).to_be_visible()
    screenshot(page, "id09-document-with-scan")

    # The scan is served to the agent through the permission-checked view, and the view is logged.
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert PatientAccess.objects.filter(patient=patient, user=agent, action=PatientAccess.Action.SCAN).count() == 1
    stored = [p for p in (tmp_path / "private").rglob("*") if p.is_file()]
    assert len(stored) == 1 and "fontaine" not in stored[0].name.lower()
