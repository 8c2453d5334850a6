"""TR-06, issue 12, in a real browser: the agent finds the birthplace by name, with the keyboard."""

import re

import pytest

from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_tr06_agent_types_clermont_picks_clermont_ferrand_and_sees_it_by_name(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    patient = PatientFactory(birth_name="DURAND", first_name="ALICE", sex="F", birthplace_cog="99999")
    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")

    field = page.get_by_role("combobox", name="Lieu de naissance")
    expect(field).to_have_value("Lieu de naissance inconnu — 99999")
    field.fill("")
    field.press_sequentially("clermont", delay=30)
    listbox = page.get_by_role("listbox", name="Lieux de naissance proposés")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name=re.compile(r"^Clermont-Ferrand \(63\)"))
    expect(option).to_be_visible()
    screenshot(page, "tr06-birthplace")

    # Keyboard only: the first option is Clermont-Ferrand; Escape closes the list, arrows reopen and move.
    field.press("Escape")
    expect(listbox).to_be_hidden()
    field.press("ArrowDown")
    expect(listbox).to_be_visible()
    field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    field.press("Enter")  # picks the place, does not submit the form
    expect(field).to_have_value("Clermont-Ferrand (63) — 63113")
    expect(listbox).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/change/$"))

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("L'identité a été enregistrée.")
    expect(page.get_by_role("combobox", name="Lieu de naissance")).to_have_value("Clermont-Ferrand (63) — 63113")

    api = page.request.get(f"{live_server.url}/api/v1/patients/{patient.public_id}/")
    assert api.ok
    assert api.json()["birthplace_cog"] == "63113"
    assert api.json()["birthplace_name"] == "Clermont-Ferrand (63)"
