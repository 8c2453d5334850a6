"""Issue 12 in a real browser: the first first name is typed once, the list of first names starts from it."""

import pytest

from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_issue12_the_list_of_first_names_follows_the_first_name_until_the_agent_edits_it(page, live_server):
    from playwright.sync_api import expect

    staff_member(roles.AGENT, username="agent.accueil")
    log_in(page, live_server, "agent.accueil")
    page.goto(f"{live_server.url}/admin/patients/patient/add/")

    page.locator("#id_first_name").press_sequentially("ANNE")
    expect(page.locator("#id_first_names")).to_have_value("ANNE")
    page.locator("#id_first_names").focus()
    page.keyboard.press("End")
    page.keyboard.type(" MARIE")
    page.locator("#id_first_name").press_sequentially("S")
    expect(page.locator("#id_first_names")).to_have_value("ANNE MARIE")
