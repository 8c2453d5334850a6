"""Issue 12, item 3: the desk's keyboard shortcuts, shown on the pages and working (static script, CSP-safe)."""

import re

import pytest

from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_issue12_alt_r_opens_the_search_and_alt_n_starts_a_creation(page, live_server):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.clavier")
    patient = PatientFactory(birth_name="CLAVIER", first_name="ANNE", sex="F")
    log_in(page, live_server, "agent.clavier")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
    expect(page.locator("#keyboard-hints")).to_contain_text("Alt+R rechercher un patient")
    expect(page.locator("#keyboard-hints")).to_contain_text("Alt+N créer une identité")

    page.keyboard.press("Alt+r")
    expect(page).to_have_url(f"{live_server.url}/admin/patients/patient/")
    page.locator("body").click()
    page.keyboard.press("Alt+r")
    expect(page.locator("#searchbar")).to_be_focused()
    expect(page.get_by_label(re.compile("Rechercher un patient"))).to_be_visible()

    page.locator("body").click()
    page.keyboard.press("Alt+n")
    expect(page).to_have_url(re.compile(r"/admin/patients/patient/add/"))


def test_issue12_slash_opens_the_search_and_the_auditor_has_no_creation_shortcut(page, live_server):
    from playwright.sync_api import expect

    staff_member(roles.AUDITOR, username="auditeur.clavier")
    log_in(page, live_server, "auditeur.clavier")
    expect(page.locator("#keyboard-hints")).to_contain_text("Alt+R rechercher un patient")
    expect(page.locator("#keyboard-hints")).not_to_contain_text("Alt+N")
    page.keyboard.press("/")
    expect(page).to_have_url(f"{live_server.url}/admin/patients/patient/")
    page.locator("body").click()
    page.keyboard.press("Alt+n")
    expect(page).to_have_url(f"{live_server.url}/admin/patients/patient/")
