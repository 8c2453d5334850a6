"""AUD-05 in a real browser: a referent merges a duplicate by IPP, then follows the merged record to its survivor."""

import pytest

from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_aud05_referent_merges_a_duplicate_and_the_merged_record_points_to_its_survivor(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.REFERENT, username="referent.iv")
    survivor = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", sex="F")
    duplicate = PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", sex="F")

    log_in(page, live_server, "referent.iv")
    page.goto(f"{live_server.url}/admin/patients/patient/{survivor.pk}/change/")
    expect(page.locator(".field-ipp")).to_contain_text(survivor.ipp)
    page.get_by_role("link", name="Fusionner un doublon ici").click()
    expect(page.locator("#id_duplicate_ipp")).to_be_focused()
    page.locator("#id_duplicate_ipp").fill(duplicate.ipp)
    page.locator("#id_reason").fill("Même personne : nom composé saisi sans tiret")
    page.get_by_role("button", name="Fusionner").click()

    expect(page.locator("ul.messagelist")).to_contain_text(f"L'identité IPP {duplicate.ipp} a été fusionnée")
    absorbed = page.locator(".absorbed-identities")
    expect(absorbed).to_contain_text(duplicate.ipp)
    screenshot(page, "merge-survivor")
    absorbed.get_by_role("link").first.click()

    banner = page.locator(".merged-banner")
    expect(banner).to_contain_text("Identité fusionnée dans")
    expect(page.locator("input[name=birth_name]")).to_have_count(0)  # read only
    banner.get_by_role("link").click()
    expect(page.locator(".field-ipp")).to_contain_text(survivor.ipp)
