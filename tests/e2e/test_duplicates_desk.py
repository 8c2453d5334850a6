"""Issue 9 in a real browser: search forgives a typo, creating a near-duplicate shows it first (ST-11)."""

import re
from datetime import date

import pytest

from patients import roles
from patients.models import Patient
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_st11_agent_searches_creates_from_search_sees_the_candidate_and_opens_it(page, live_server, screenshot):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    existing = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", sex="F", birth_date=date(1980, 5, 12))
    PatientFactory(birth_name="MARTIN", first_name="HELENE", sex="F", birth_date=date(1980, 5, 12))

    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/")
    # Issue 9: nothing is listed before a search.
    expect(page.locator(".search-first")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
    screenshot(page, "dups-01-list-before-search")

    # A one-letter typo in the name still finds her, and the list says why.
    page.locator("#searchbar").fill("dube lambrt helene")
    page.keyboard.press("Enter")
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("DUBE-LAMBERT")
    expect(results.first).to_contain_text("nom proche (faute ?)")
    assert "lambrt" not in page.url.lower()
    screenshot(page, "dups-02-typo-search")

    # The agent creates from the search anyway: the form is filled with what was typed, not via the URL.
    page.get_by_role("button", name="Créer une identité avec cette saisie").click()
    expect(page).to_have_url(re.compile(r"/admin/patients/patient/add/$"))
    expect(page.locator("#id_birth_name")).to_have_value("DUBE LAMBRT")
    expect(page.locator("#id_first_name")).to_have_value("HELENE")
    page.locator("#id_birth_name").fill("DUBE LAMBERT")
    page.locator("#id_sex").select_option("F")
    page.locator("#id_birth_date").fill("12/05/1980")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    # Nothing is saved: the candidate is shown with its score and the traits that differ.
    box = page.locator(".duplicate-candidates")
    expect(box).to_be_visible()
    expect(box).to_contain_text("DUBE-LAMBERT")
    expect(box).to_contain_text("identique aux tirets, espaces ou apostrophes près")
    assert Patient.objects.count() == 2
    screenshot(page, "dups-03-candidate-before-saving")

    box.get_by_role("link", name="Ouvrir cette identité").click()
    expect(page).to_have_url(re.compile(rf"/admin/patients/patient/{existing.pk}/change/$"))
    expect(page.locator("#id_birth_name")).to_have_value("DUBE-LAMBERT")
    screenshot(page, "dups-04-existing-opened")
    assert Patient.objects.count() == 2


def test_aud05_referent_compares_a_pair_and_decides_not_a_duplicate(page, live_server, screenshot):
    from playwright.sync_api import expect

    from patients.duplicates.models import DuplicateCandidate
    from patients.duplicates.selectors import duplicate_candidates, identity_values
    from patients.duplicates.services import duplicate_record_suspected

    referent = staff_member(roles.REFERENT, username="referent.iv")
    PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", sex="F", birth_date=date(1980, 5, 12))
    twin = PatientFactory(
        birth_name="DUBE LAMBERT", first_name="HELENA", sex="F", birth_date=date(1980, 5, 12), birthplace_cog="13055"
    )
    candidates = duplicate_candidates(values=identity_values(twin), exclude=twin)
    duplicate_record_suspected(actor=referent, patient=twin, candidates=candidates, source="CREATE")

    log_in(page, live_server, "referent.iv")
    page.goto(f"{live_server.url}/admin/patients/duplicatecandidate/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    screenshot(page, "dups-05-referent-worklist")
    rows.first.locator("th a, td a").first.click()

    expect(page.locator("#duplicate-compare tr.differs")).to_have_count(3)  # birth name, first names, birthplace
    screenshot(page, "dups-06-side-by-side")
    page.locator("#id_reason").fill("Jumelles : deux actes de naissance distincts")
    page.get_by_role("button", name="Pas un doublon").click()
    expect(page.locator("ul.messagelist")).to_contain_text("pas un doublon")
    assert DuplicateCandidate.objects.get().state == DuplicateCandidate.State.NOT_DUPLICATE
    screenshot(page, "dups-07-decided")
