"""Issue 8, item 11: every time on every screen is Europe/Paris, titles included.

The objects are written at 23:30 UTC on 15 January, which is 00:30 on 16 January in Paris: a page that still
shows UTC shows the wrong hour and the wrong day. One test per model registered in the admin (its list, its
page, its history and, for history admins, a version page), and one per screen of its own.
"""

import lxml.html
import pytest
from django.db import models
from django.urls import NoReverseMatch, reverse
from simple_history.utils import get_history_manager_for_model

from identity_registry.local_time import local_date, local_datetime
from insi.models import InsiCall, InsiProposal
from tests.identity_registry.admin_world import (
    FROZEN_UTC,
    PARIS_DAY,
    PARIS_TIME,
    SUPERUSER,
    UTC_DAY,
    UTC_TIME,
    model_of,
    registered_labels,
    world_in_transaction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_transaction(django_db_blocker) as built:
        yield built


def shown_text(response) -> str:
    """What the agent reads: the window title, the page's content and the values in its fields."""
    assert response.status_code == 200, response
    page = lxml.html.fromstring(response.content)
    content = page.xpath('//*[@id="content"]')[0]
    return " ".join([page.findtext(".//title") or "", *content.itertext(), *content.xpath(".//input/@value")])


def assert_paris_time(text: str, where: str) -> None:
    assert UTC_DAY not in text, f"{where} shows the UTC day: {text}"
    assert UTC_TIME not in text, f"{where} shows the UTC hour: {text}"


def admin_pages(label: str, obj: models.Model) -> list[str]:
    opts = obj._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    pages = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_change", args=[obj.pk])]
    pages.append(reverse(f"{prefix}_history", args=[obj.pk]))
    try:
        reverse(f"{prefix}_simple_history", args=[obj.pk, 1])
    except NoReverseMatch:
        return pages
    version = get_history_manager_for_model(obj).order_by("history_id").first()
    return [*pages, reverse(f"{prefix}_simple_history", args=[obj.pk, version.history_id])]


def test_fix11_local_time_helpers_give_the_paris_day_and_hour():
    assert local_datetime(FROZEN_UTC) == f"{PARIS_DAY} {PARIS_TIME}"
    assert local_date(FROZEN_UTC) == PARIS_DAY
    assert local_datetime(None) == ""


@pytest.mark.parametrize("label", registered_labels())
def test_fix11_admin_pages_of_every_model_show_paris_time(world, client, label):
    model = model_of(label)
    obj = world.object_of(model)
    assert obj is not None, f"add an object of {label} to tests/identity_registry/admin_world.py"
    client.force_login(world.users[SUPERUSER])
    texts = {url: shown_text(client.get(url)) for url in admin_pages(label, obj)}
    for url, text in texts.items():
        assert_paris_time(text, url)
    if any(isinstance(field, models.DateTimeField) for field in model._meta.fields):
        assert any(PARIS_DAY in text for text in texts.values()), f"{label}: no page shows its time"


def test_fix11_insi_proposal_title_and_call_agree_with_the_list(world, client):
    client.force_login(world.users[SUPERUSER])
    proposal = InsiProposal.objects.get()
    page = shown_text(client.get(reverse("admin:insi_insiproposal_change", args=[proposal.pk])))
    # The call the proposal came from is named by its Paris time, like the list's "créée le" column.
    assert f"Recherche par traits du {PARIS_DAY} {PARIS_TIME}" in page
    listing = shown_text(client.get(reverse("admin:insi_insiproposal_changelist")))
    assert f"{PARIS_DAY} {PARIS_TIME}" in listing


def test_fix11_screens_of_their_own_show_paris_time(world, client):
    client.force_login(world.users[SUPERUSER])
    patient = world.patient
    screens = [
        reverse("admin:consent_patient_dmp", kwargs={"patient_id": patient.pk}),
        reverse("admin:insi_query", kwargs={"patient_id": InsiCall.objects.get().patient_id}),
        reverse("admin:patients_patient_history", args=[patient.pk]),
        reverse("admin:patients_patient_change", args=[patient.pk]),
    ]
    for url in screens:
        text = shown_text(client.get(url))
        assert_paris_time(text, url)
        assert PARIS_DAY in text, f"{url} shows no time"


def test_fix11_the_api_gives_instants_at_the_paris_offset(world, client):
    client.force_login(world.users[SUPERUSER])
    body = client.get(f"/api/v1/patients/{world.patient.public_id}/").json()
    assert body["created_at"] == f"2026-01-16T{PARIS_TIME}:00+01:00"
