"""Issue 12: the consent page in a browser: one task at a time, closing asked first, all from the keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consent.codes import EpisodeKind
from consent.models import CareEpisode
from consent.services import care_episode_create
from patients import roles
from tests.e2e.test_admission_desk import log_in
from tests.e2e.test_issue12_axe import violations
from tests.factories import qualified_patient
from tests.staff import staff_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_issue12_consent_page_one_task_at_a_time_and_closing_confirmed_from_the_keyboard(page, live_server, screenshot):
    from playwright.sync_api import expect

    referent = staff_member(roles.REFERENT, username="referent.consentement")
    patient = qualified_patient(birth_name="MARTIN", first_name="LUCIE", sex="F")
    episode = care_episode_create(
        actor=referent,
        patient=patient,
        unit="Cardiologie",
        kind=EpisodeKind.HOSPITALISATION,
        started_at=timezone.now() - timedelta(days=1),
    )
    log_in(page, live_server, "referent.consentement")
    page.goto(f"{live_server.url}/admin/consent/careepisode/patient/{patient.pk}/")
    page.get_by_role("link", name="Consultation du DMP").click()
    expect(page.locator("#form-consultation")).to_be_visible()
    expect(page.locator("#form-episode")).to_be_hidden()
    expect(page.locator("#id_consultation-episode")).to_have_value(str(episode.pk))
    expect(page.locator("#id_consultation-given_by_name")).to_have_value("LUCIE MARTIN")
    screenshot(page, "agent-consent-page")
    assert violations(page) == []
    page.get_by_role("button", name="Clôturer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Clôturer cet épisode de soins ?")).to_be_visible()
    assert CareEpisode.objects.get(pk=episode.pk).ended_at is None
    page.get_by_role("button", name="Confirmer la clôture").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Épisode de soins clôturé.")).to_be_visible()
    assert CareEpisode.objects.get(pk=episode.pk).ended_at is not None
