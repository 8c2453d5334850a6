"""Issue 12, item 2: axe-core finds no serious or critical accessibility violation on the main screens.

Each main screen is opened as the agent, the referent and the auditor; axe (bundled by axe-playwright-python,
offline) runs on it and a screenshot is written to tests/e2e/artifacts/<role>-<page>.png for a person to judge.
A screen the role may not open (403) is not a screen of that role.
"""

import pytest
from django.urls import reverse

from patients import roles
from patients.duplicates.services import patient_create_checking_duplicates
from tests.e2e.test_admission_desk import log_in
from tests.factories import qualified_patient
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
ROLE_SLUGS = {roles.AGENT: "agent", roles.REFERENT: "referent", roles.AUDITOR: "auditeur"}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return found


def _pages(live_server, patient_id: int) -> dict[str, str]:
    base = f"{live_server.url}/admin"
    return {
        "accueil": f"{base}/",
        "liste-patients": f"{base}/patients/patient/",
        "fiche-identite": f"{base}/patients/patient/{patient_id}/change/",
        "creation": f"{base}/patients/patient/add/",
        "insi": f"{live_server.url}{reverse('admin:insi_query', args=[patient_id])}",
        "consentement": f"{base}/consent/careepisode/patient/{patient_id}/",
        "chronologie": f"{base}/patients/patient/{patient_id}/chronologie/",
        "doublons": f"{base}/patients/duplicatecandidate/",
    }


@pytest.mark.parametrize("role", list(ROLE_SLUGS))
def test_issue12_no_serious_accessibility_violation_on_the_main_screens(page, live_server, screenshot, role):
    slug = ROLE_SLUGS[role]
    staff_member(role, username=f"axe.{slug}")
    patient = qualified_patient(birth_name="DUPONT", first_name="EVE-MARIE", sex="F")
    # A suspected duplicate (ST-11): the worklist has a row to read, not only its empty state.
    patient_create_checking_duplicates(
        actor=staff_member(roles.REFERENT, username=f"axe.createur.{slug}"),
        birth_name="DUPONT",
        first_name="EVE-MARIE",
        sex="F",
        birth_date=patient.birth_date,
    )
    problems: dict[str, list[str]] = {}

    page.goto(f"{live_server.url}/admin/login/")
    problems["connexion"] = violations(page)
    assert page.locator("h1").count() == 1, "the log-in page has one h1 (the site's name)"
    screenshot(page, f"{slug}-connexion")
    log_in(page, live_server, f"axe.{slug}")

    shown = []
    for name, url in _pages(live_server, patient.pk).items():
        response = page.goto(url)
        if response.status == 403:
            continue
        assert response.status == 200, f"{name}: {response.status}"
        problems[name] = violations(page)
        screenshot(page, f"{slug}-{name}")
        shown.append(name)
        if name == "liste-patients":
            page.locator("#searchbar").fill("dupont")
            page.keyboard.press("Enter")
            page.wait_for_url("**recherche=**")
            problems["recherche"] = violations(page)
            screenshot(page, f"{slug}-recherche")

    assert {"accueil", "liste-patients", "fiche-identite"} <= set(shown), shown
    report = "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines)
    assert not report, f"{role}:\n{report}"
