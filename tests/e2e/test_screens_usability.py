"""Layout and navigation defects found by exploring the identity and INSi screens in a browser (ST-09, INSI-09)."""

import pytest

from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_st09_the_referents_action_buttons_never_cover_the_identity_heading(page, live_server, screenshot):
    staff_member(roles.REFERENT, username="referent.iv")
    patient = PatientFactory(birth_name="DUPONT", first_name="EVE-MARIE", sex="F")
    log_in(page, live_server, "referent.iv")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
    page.evaluate("window.scrollTo(0, 0)")
    heading = page.locator("#content h2").first.bounding_box()
    screenshot(page, "referent-identity-actions")
    for button in page.locator(".object-tools a").all():
        box = button.bounding_box()
        overlaps_x = box["x"] < heading["x"] + heading["width"] and heading["x"] < box["x"] + box["width"]
        overlaps_y = box["y"] < heading["y"] + heading["height"] and heading["y"] < box["y"] + box["height"]
        assert not (overlaps_x and overlaps_y), f"« {button.inner_text()} » covers the heading"


def test_insi09_the_insi_screen_leads_back_to_the_identity_page(page, live_server):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    patient = PatientFactory(birth_name="ADRUN", first_name="ZOE", sex="F")
    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
    page.get_by_role("link", name="Interroger INSi").click()
    page.locator(".breadcrumbs").get_by_role("link", name="ADRUN ZOE").click()
    expect(page).to_have_url(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
