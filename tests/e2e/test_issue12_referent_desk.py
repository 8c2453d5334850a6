"""Issue 12 in a real browser: the referent's desk counts match the database; a proposal is decided on its page."""

import json
from datetime import date

import pytest

from insi.models import InsiProposal
from insi.services import insi_search_for_patient
from patients import roles
from patients.extensions import work_lists
from patients.ins import ins_key
from patients.services import patient_create
from tests.e2e.test_admission_desk import log_in
from tests.referent_world import build_referent_world, role_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def durand(tmp_path, settings):
    """DURAND MARIE: INSi returns MARIE LOUISE, so the retrieval waits for a referent (INSI-06)."""
    settings.INSI_SIMULATOR_ALLOWED = True
    body = "2720675056003"
    people = [
        {
            "traits": {"birth_name": "DURAND", "first_names": "MARIE LOUISE", "sex": "F", "birth_date": "1972-06-03"},
            "ins": {"matricule": body + ins_key(body), "oid": "1.2.250.1.213.1.4.8"},
        }
    ]
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": people}))
    settings.INSI_SIMULATOR_DATA = str(path)


def test_issue12_referent_desk_counts_match_the_database_and_a_proposal_is_decided(
    page, live_server, screenshot, durand
):
    from playwright.sync_api import expect

    referent = role_member(roles.REFERENT, username="referent.iv")
    expected = build_referent_world(referent)
    patient = patient_create(
        actor=referent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3)
    ).patient
    insi_search_for_patient(actor=referent, patient=patient)
    proposal = InsiProposal.objects.get(patient=patient, state=InsiProposal.State.PENDING)
    expected["propositions-insi"] += 1

    log_in(page, live_server, "referent.iv")
    # The desk is the first thing on the admin index.
    page.locator("#referent-desk-entry a").click()
    expect(page.locator("h1")).to_have_text("Bureau du référent en identitovigilance")
    for work_list in work_lists():
        # Each count is what the database holds now.
        in_database = work_list.rows().count()
        assert in_database == expected[work_list.key], work_list.key
        expect(page.locator(f"#worklist-{work_list.key} .worklist-count")).to_have_text(str(in_database))
    screenshot(page, "referent-home")

    # TR-08: the identities to complete, exactly as many as counted, under the list's own title.
    page.locator("#worklist-a-completer .worklist-count").click()
    expect(page.locator("h1")).to_contain_text("Identités à compléter")
    expect(page.locator("#result_list tbody tr")).to_have_count(expected["a-completer"])
    screenshot(page, "referent-list-to-complete")
    page.go_back()

    # The proposals count opens the list of exactly those proposals; DURAND's row opens its page.
    page.locator("#worklist-propositions-insi .worklist-count").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(expected["propositions-insi"])
    page.locator("#result_list tbody tr", has_text="DURAND").locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("Proposition INSi")
    expect(page.locator("table.insi-compare")).to_contain_text("MARIE LOUISE")
    expect(page.locator("#proposal-patient")).to_have_text("DURAND MARIE")
    screenshot(page, "referent-proposal")

    page.get_by_label("Justification").fill("Livret de famille présenté : deux prénoms")
    page.get_by_role("button", name="Accepter la proposition").click()
    expect(page.locator(".messagelist")).to_contain_text("Proposition acceptée")
    expect(page.locator("#proposal-state")).to_have_text("Acceptée")
    expect(page.get_by_role("button", name="Accepter la proposition")).to_have_count(0)
    screenshot(page, "referent-proposal-decided")
    proposal.refresh_from_db()
    assert proposal.state == InsiProposal.State.ACCEPTED

    # The INSi screen of the patient no longer says a decision is required.
    page.goto(f"{live_server.url}/admin/insi/insicall/interroger/{patient.pk}/")
    calls = page.locator("h2:has-text('Derniers appels') + table")
    expect(calls).to_contain_text("Proposition acceptée par referent.iv")
    expect(calls).not_to_contain_text("Décision d'un référent requise")

    # Back on the desk, one proposal fewer.
    page.goto(f"{live_server.url}/admin/bureau-referent/")
    expect(page.locator("#worklist-propositions-insi .worklist-count")).to_have_text(
        str(expected["propositions-insi"] - 1)
    )
