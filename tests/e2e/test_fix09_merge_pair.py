"""Issue 9 in a real browser: the referent merges a suspected pair from the comparison (AUD-05, ST-11)."""

import re
from datetime import date

import pytest

from patients import roles
from patients.models import Patient
from tests.e2e.test_admission_desk import log_in
from tests.factories import PatientFactory
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_aud05_referent_merges_a_suspected_pair_choosing_the_survivor(page, live_server, screenshot):
    from playwright.sync_api import expect

    from patients.duplicates.models import DuplicateCandidate
    from patients.duplicates.selectors import duplicate_candidates, identity_values
    from patients.duplicates.services import duplicate_record_suspected

    referent = staff_member(roles.REFERENT, username="referent.iv")
    first = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", sex="F", birth_date=date(1980, 5, 12))
    typo = PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", sex="F", birth_date=date(1980, 5, 12))
    candidates = duplicate_candidates(values=identity_values(typo), exclude=typo)
    duplicate_record_suspected(actor=referent, patient=typo, candidates=candidates, source="CREATE")

    log_in(page, live_server, "referent.iv")
    page.goto(f"{live_server.url}/admin/patients/duplicatecandidate/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"IPP {first.ipp}")
    screenshot(page, "merge-01-worklist")
    rows.first.locator("th a, td a").first.click()

    merge = page.locator("#merge-pair")
    expect(merge).to_be_visible()
    expect(page.locator("#duplicate-compare")).to_contain_text(typo.ipp)
    screenshot(page, "merge-02-comparison")
    # The referent keeps A (the first identity, with its hyphen) and says why.
    merge.get_by_label(re.compile(r"Identité A")).check()
    merge.get_by_label("Motif de la fusion").fill("Même personne : nom saisi sans tiret à l'accueil")
    merge.get_by_role("button", name="Fusionner").click()

    expect(page).to_have_url(re.compile(rf"/admin/patients/patient/{first.pk}/change/$"))
    expect(page.locator("ul.messagelist")).to_contain_text(f"l'IPP {typo.ipp} est fusionné dans l'IPP {first.ipp}")
    screenshot(page, "merge-03-survivor")
    assert DuplicateCandidate.objects.get().state == DuplicateCandidate.State.CONFIRMED
    assert Patient.objects.get(pk=typo.pk).merged_into_id == first.pk

    # The merged identity shows where it went.
    page.goto(f"{live_server.url}/admin/patients/patient/{typo.pk}/change/")
    expect(page.locator("#content")).to_contain_text("Identité fusionnée dans")
    expect(page.locator("#content")).to_contain_text(f"IPP {first.ipp}")
    screenshot(page, "merge-04-merged-record")

    # The pair is no longer to be worked; it stays listed as a confirmed duplicate.
    page.goto(f"{live_server.url}/admin/patients/duplicatecandidate/?state__exact=SUSPECTED")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/patients/duplicatecandidate/?state__exact=CONFIRMED")
    expect(page.locator("#result_list tbody tr")).to_contain_text("Doublon confirmé")
