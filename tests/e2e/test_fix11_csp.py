"""Issue 11: the admin, an identity page and /api/docs/ work under the Content-Security-Policy."""

import pytest

from patients import roles
from tests.factories import qualified_patient
from tests.staff import PASSWORD, staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:200]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_fix11_admin_identity_page_and_api_docs_raise_no_csp_violation(page, live_server):
    from playwright.sync_api import expect

    staff_member(roles.REFERENT, username="referent.csp")
    patient = qualified_patient(birth_name="D'ARTAGNAN", first_name="CHARLES", sex="M")
    violations = _watch_csp(page)

    response = page.goto(f"{live_server.url}/admin/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Nom d’utilisateur").fill("referent.csp")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/patients/patient/{patient.pk}/change/")
    expect(page.locator(".field-status_badge")).to_contain_text("QUAL")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Référentiel", timeout=30_000)
    page.wait_for_load_state("networkidle")

    assert violations == []
