"""The "Interroger INSi" screen in Chromium: an agent queries INSi and reads the side-by-side result."""

import os

import pytest
from django.urls import reverse

from patients.roles import AGENT
from tests.insi.helpers import role_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server, monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page()
        browser.close()


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motdepasse-de-test")
    page.click("input[type=submit]")


def test_insi03_agent_sees_tchitchi_discordance_highlighted_with_its_rule(page, live_server, make_person):
    role_user("navigateur-agent", AGENT, is_staff=True)
    patient = make_person("TCHITCHI")
    _login(page, live_server, "navigateur-agent")
    page.goto(live_server.url + reverse("admin:insi_query", kwargs={"patient_id": patient.pk}))
    page.get_by_role("button", name="Interroger INSi").click()
    assert "identité discordante" in page.locator("#insi-message").inner_text()
    highlighted = page.locator("table.insi-compare td.diff-DISCORDANT")
    assert highlighted.first.inner_text() == "CATARINA"
    assert "INSI-03" in page.locator("table.insi-compare").inner_text()
    assert page.locator("#insi-retries li").count() >= 2
    assert "PROV" in page.locator("#patient-status").inner_text()
