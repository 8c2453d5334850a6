"""The admission desk in a real browser: the agent's main path and the auditor's read-only visit."""

import re

import pytest

from patients import roles
from tests.factories import PatientFactory, qualified_patient
from tests.staff import PASSWORD, staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_agent_finds_a_patient_typed_with_accents_and_validates_it_with_a_passport(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    PatientFactory(birth_name="LEFEVRE-BELANGER", first_name="HELENE", sex="F")
    PatientFactory(birth_name="MARTIN", first_name="HELENE", sex="F")

    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/")
    # RNIV TR-05: typed with accents, in lower case and without the hyphen.
    page.locator("#searchbar").fill("lefèvre bélanger")
    page.keyboard.press("Enter")
    results = page.locator("#result_list tbody tr")
    expect(page).to_have_url(re.compile(r"recherche="))
    assert "lef" not in page.url.lower()  # the typed name never goes into a URL
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("PROV · Identité provisoire")
    screenshot(page, "agent-search-results")
    results.first.get_by_role("link", name="LEFEVRE-BELANGER").click()

    expect(page.locator(".field-status_badge")).to_contain_text("PROV · Identité provisoire")
    page.get_by_role("link", name="Vérifier une pièce d'identité").click()
    # The agent stays on the keyboard: the document type has the focus.
    expect(page.locator("#id_document_type")).to_be_focused()
    page.locator("#id_document_type").select_option(label="Passeport")
    page.locator("#id_issuing_country").fill("FR")
    page.get_by_label("Les traits sont conformes au justificatif").check()
    page.get_by_role("button", name="Enregistrer le contrôle").click()

    expect(page).to_have_url(re.compile(r"/admin/patients/patient/\d+/change/$"))
    expect(page.locator(".field-status_badge")).to_contain_text("VALI · Identité validée")
    expect(page.locator("ul.messagelist")).to_contain_text("Justificatif contrôlé (Passeport, règle ID-01)")
    screenshot(page, "agent-passport-vali")


def test_auditor_reads_the_history_but_has_no_button_to_change_anything(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AUDITOR, username="auditeur")
    patient = qualified_patient(birth_name="D'ARTAGNAN", first_name="CHARLES", sex="M")

    log_in(page, live_server, "auditeur")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")

    expect(page.locator(".field-status_badge")).to_contain_text("QUAL · Identité qualifiée")
    expect(page.locator("input[type=submit]")).to_have_count(0)
    for label in ("Vérifier une pièce d'identité", "Marquer douteuse", "Retirer l'attribut", "Déclasser"):
        expect(page.get_by_role("link", name=re.compile(label))).to_have_count(0)
    expect(page.locator("input[name=birth_name]")).to_have_count(0)

    page.get_by_role("link", name="Historique", exact=True).click()
    history = page.locator("#identity-history")
    expect(history).to_contain_text("Création de l'identité")
    expect(history).to_contain_text("Contrôle d'un justificatif d'identité")
    expect(history.locator(".new-value", has_text="QUAL · Identité qualifiée")).to_have_count(1)
    expect(page.locator("input[type=submit]")).to_have_count(0)
    screenshot(page, "auditor-history")


def test_agent_creates_an_identity_at_the_keyboard_and_sees_the_normalised_values(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/add/")

    # The birth name has the focus; every other field is reached with Tab, the date is typed.
    expect(page.locator("#id_birth_name")).to_be_focused()
    page.keyboard.type("Lefèvre-Bélanger")
    page.keyboard.press("Tab")
    # Issue 12: the used name comes right under the birth name (left empty here).
    expect(page.locator("#id_used_name")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("Lætitia")
    page.keyboard.press("Tab")
    page.keyboard.type("Lætitia Zoé")
    page.keyboard.press("Tab")
    expect(page.locator("#id_sex")).to_be_focused()
    page.keyboard.type("F")
    page.keyboard.press("Tab")
    expect(page.locator("#id_birth_date")).to_be_focused()
    page.keyboard.type("02/03/1980")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/admin/patients/patient/\d+/change/$"))
    expect(page.locator("#id_birth_name")).to_have_value("LEFEVRE-BELANGER")
    expect(page.locator("#id_first_name")).to_have_value("LAETITIA")
    messages = page.locator("ul.messagelist")
    expect(messages).to_contain_text("« æ » a été remplacé par « AE » (règle TR-03)")
    expect(messages).to_contain_text("saisi « Lefèvre-Bélanger », enregistré « LEFEVRE-BELANGER »")
    screenshot(page, "agent-create-normalised")
