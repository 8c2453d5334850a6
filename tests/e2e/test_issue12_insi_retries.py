"""Issue 12 in Chromium: each applicable INSi retry is a button (INSI-07, INSI-08), the retry's call points to
the first call, and a concordant identity is recorded only once the agent confirms it against the document."""

from datetime import date

import pytest
from django.urls import reverse

from insi.models import InsiCall
from patients.models import Patient
from patients.roles import REFERENT
from patients.services import patient_create
from tests.insi.helpers import calls_of, role_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# INSi's public test person "D'ARTAGNAN DE L'HERAULT" typed with hyphens: 01, then found with spaces.
HYPHENATED = {
    "birth_name": "D'ARTAGNAN-DE-L'HERAULT",
    "first_name": "PIERRE-ALAIN",
    "first_names": "PIERRE-ALAIN MURIEL FLORIANT",
    "sex": "M",
    "birth_date": date(2001, 6, 17),
}


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motdepasse-de-test")
    page.click("input[type=submit]")


def test_insi07_each_retry_is_a_button_and_the_retry_points_to_the_first_call(page, live_server, screenshot):
    referent = role_user("navigateur-relance", REFERENT, is_staff=True)
    patient = patient_create(actor=referent, **HYPHENATED).patient
    _login(page, live_server, "navigateur-relance")
    page.goto(live_server.url + reverse("admin:insi_query", kwargs={"patient_id": patient.pk}))
    # Before the call: the traits that will be sent.
    assert "D'ARTAGNAN-DE-L'HERAULT" in page.locator("#insi-to-send").inner_text()
    page.get_by_role("button", name="Interroger INSi").click()
    assert page.locator("#insi-headline").inner_text().startswith("Aucune identité trouvée")
    retries = page.locator("form.insi-retry")
    kinds = [retries.nth(i).get_attribute("data-retry") for i in range(retries.count())]
    assert "hyphen_to_space:birth_name" in kinds and "apostrophe_to_space:birth_name" in kinds
    assert all(retries.nth(i).get_by_role("button", name="Relancer").count() == 1 for i in range(retries.count()))
    hyphens = page.locator('form.insi-retry[data-retry="hyphen_to_space:birth_name"]')
    assert "D'ARTAGNAN DE L'HERAULT" in hyphens.locator(".insi-retry-sent").inner_text()
    screenshot(page, "insi-retries")

    first = calls_of(patient)[0]
    hyphens.get_by_role("button", name="Relancer").click()
    retry = InsiCall.objects.filter(patient=patient).order_by("-called_at", "-id").first()
    assert retry.retry_of == first
    assert retry.sent_birth_name == "D'ARTAGNAN DE L'HERAULT" and retry.cr == "00"
    assert "Relance de l'appel du" in page.locator("body").inner_text()

    # The retry found the person: nothing is recorded until the agent confirms against the document.
    assert not Patient.objects.get(pk=patient.pk).ins_matricule
    confirm = page.get_by_role("button", name="Confirmer : l'identité renvoyée correspond au justificatif présenté")
    screenshot(page, "insi-retry-confirm")
    confirm.click()
    assert "INS récupérée après comparaison" in page.locator("ul.messagelist").inner_text()
    assert Patient.objects.get(pk=patient.pk).ins_matricule == "101066322075460"

    page.goto(live_server.url + reverse("admin:insi_insicall_changelist"))
    assert "Relance de l'appel du" in page.locator("#result_list").inner_text()
