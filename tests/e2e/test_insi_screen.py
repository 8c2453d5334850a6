"""The "Interroger INSi" screen in Chromium: an agent queries INSi and reads the side-by-side result."""

import pytest
from django.urls import reverse

from patients.roles import AGENT
from patients.services import patient_create
from tests.insi.conftest import TABLE_PEOPLE
from tests.insi.helpers import role_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motdepasse-de-test")
    page.click("input[type=submit]")


def test_insi03_agent_sees_tchitchi_discordance_highlighted_with_its_rule(page, live_server, screenshot):
    agent = role_user("navigateur-agent", AGENT, is_staff=True)
    patient = patient_create(actor=agent, **TABLE_PEOPLE["TCHITCHI"]).patient
    _login(page, live_server, "navigateur-agent")
    page.goto(live_server.url + reverse("admin:insi_query", kwargs={"patient_id": patient.pk}))
    page.get_by_role("button", name="Interroger INSi").click()
    assert "identité discordante" in page.locator("#insi-message").inner_text()
    highlighted = page.locator("table.insi-compare td.diff-DISCORDANT")
    assert highlighted.first.inner_text() == "CATARINA"
    assert "INSI-03" in page.locator("table.insi-compare").inner_text()
    assert "21/06/1936" in page.locator("table.insi-compare").inner_text()
    # INSi's first first name is another one (INSI-05): no separator or birthplace retry can help (item 9).
    assert "Contrôler à nouveau le justificatif" in page.locator("#insi-retries").inner_text()
    assert page.locator("#insi-headline").inner_text().startswith("Discordance : l'INS n'est pas récupérée")
    assert "PROV" in page.locator("#patient-status").inner_text()
    screenshot(page, "agent-insi-tchitchi-discordant")
