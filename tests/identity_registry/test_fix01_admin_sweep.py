"""Issue 8, item 1: no admin URL writes for a role that may not write (AUD-01, AUD-02, ST-09).

The sweep walks every model registered in the admin (read from ``admin.site._registry``, so a model added
later is swept too) for each role, and sends GET and POST to its list, add, change, delete and history URLs,
and to simple-history's version page ("revert") where the admin has one. Wherever the role may not write, the
answer is a refusal (403, 405) or a page that offers no save button, and the database is left unchanged.

A role may write through a URL only when it holds the Django permission (``app.add_model``...) and the admin
allows it; a history version page never writes, for anybody, superusers included.
"""

import logging
from typing import Any

import lxml.html
import pytest
from django.apps import apps
from django.contrib import admin
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from identity_registry.history_admin import check_history_admins_read_only, history_admins_that_write
from insi.models import InsiProposal
from tests.identity_registry.admin_world import ROLES, model_of, registered_labels, world_in_transaction

# Reads that are themselves recorded (AUD-03) and the session of the logged-in user are not writes of the sweep.
NOT_WRITES = {"sessions.Session", "patients.PatientAccess"}
REFUSED = {403, 405}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_transaction(django_db_blocker) as built:
        yield built


@pytest.fixture(autouse=True, scope="module")
def _quiet_refusals():
    # Each 403 logs a warning with its traceback: hundreds of them, expected here, and slow to format.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table but the read logs: any write through the admin changes this."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in NOT_WRITES and not model._meta.proxy
    }


_payloads: dict[tuple[str, str], dict[str, list[str]]] = {}


def form_payload(
    model_admin: admin.ModelAdmin, instance: Any, superuser: Any, version: str = "current"
) -> dict[str, list[str]]:
    """What a browser posts for the admin's form filled with ``instance``: every field, unchanged."""
    key = (model_admin.model._meta.label, version)
    if key not in _payloads:
        _payloads[key] = _form_values(model_admin, instance, superuser)
    return _payloads[key]


def _form_values(model_admin: admin.ModelAdmin, instance: Any, superuser: Any) -> dict[str, list[str]]:
    request = RequestFactory().get("/")
    request.user = superuser
    form = model_admin.get_form(request, instance)(instance=instance)
    values: dict[str, list[str]] = {}
    for name, value in lxml.html.fromstring(f"<form>{form.as_p()}</form>").form_values():
        values.setdefault(name, []).append(value)
    return values


def may_write(user: Any, model_admin: admin.ModelAdmin, action: str, obj: Any) -> bool:
    opts = model_admin.model._meta
    request = RequestFactory().get("/")
    request.user = user
    allowed_by_admin = getattr(model_admin, f"has_{action}_permission")
    allowed = allowed_by_admin(request) if action == "add" else allowed_by_admin(request, obj)
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") and allowed


def history_version(model_admin: admin.ModelAdmin, obj: Any) -> tuple[str, Any] | None:
    """simple-history's version URL of the object's oldest version (what a revert would restore), if any."""
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    try:
        reverse(name, args=[obj.pk, 1])
    except NoReverseMatch:
        return None
    oldest = get_history_manager_for_model(obj).order_by("history_date", "history_id").first()
    assert oldest is not None, f"{opts.label} has a history admin but its object has no history row"
    return reverse(name, args=[obj.pk, oldest.history_id]), oldest.instance


def editable_fields(content: bytes) -> list[str]:
    """Names of the fields a person could fill in on the page's content (hidden fields aside)."""
    page = lxml.html.fromstring(content)
    fields = page.xpath('//*[@id="content"]//*[self::input[not(@type="hidden")] or self::select or self::textarea]')
    return [field.get("name") for field in fields]


def assert_refused_or_read_only(response: Any, what: str) -> None:
    assert response.status_code in {200, *REFUSED}, f"{what}: {response.status_code}"
    if response.status_code == 200:
        # Neither "Enregistrer" nor simple-history's "Revert", and nothing to fill in.
        assert b'name="_save"' not in response.content, f"{what}: the page offers a save button"
        assert not editable_fields(response.content), f"{what}: the page has fields {editable_fields(response.content)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", registered_labels())
def test_fix01_no_admin_url_writes_for_a_role_that_may_not_write(world, client, label, role):
    model = model_of(label)
    model_admin = admin.site._registry[model]
    obj = world.object_of(model)
    assert obj is not None, f"add an object of {label} to tests/identity_registry/admin_world.py"
    user, superuser = world.users[role], world.users[ROLES[-1]]
    opts = model._meta
    kinds = {"changelist": [], "add": [], "change": [obj.pk], "delete": [obj.pk], "history": [obj.pk]}
    url = {kind: reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=args) for kind, args in kinds.items()}
    client.force_login(user)
    before = database_state()

    if not may_write(user, model_admin, "add", None):
        assert client.get(url["add"]).status_code in REFUSED, f"{label} add: GET"
        response = client.post(url["add"], form_payload(model_admin, obj, superuser))
        assert response.status_code in REFUSED, f"{label} add: POST {response.status_code}"
    if not may_write(user, model_admin, "change", obj):
        assert_refused_or_read_only(client.get(url["change"]), f"{label} change: GET")
        response = client.post(url["change"], form_payload(model_admin, obj, superuser))
        assert response.status_code in REFUSED, f"{label} change: POST {response.status_code}"
    if not may_write(user, model_admin, "delete", obj):
        assert client.get(url["delete"]).status_code in REFUSED, f"{label} delete: GET"
        assert client.post(url["delete"], {"post": "yes"}).status_code in REFUSED, f"{label} delete: POST"
        # The list's bulk action is a second way to delete.
        action = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes", "index": 0}
        client.post(url["changelist"], action)

    # History pages are read by some roles and written by nobody.
    assert_refused_or_read_only(client.get(url["history"]), f"{label} history: GET")
    assert_refused_or_read_only(client.post(url["history"], {}), f"{label} history: POST")
    version = history_version(model_admin, obj)
    if version is not None:
        version_url, earlier = version
        assert_refused_or_read_only(client.get(version_url), f"{label} history version: GET")
        response = client.post(version_url, form_payload(model_admin, earlier, superuser, version="oldest"))
        assert response.status_code in REFUSED, f"{label} history version (revert): POST {response.status_code}"

    after = database_state()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{label} as {role}: the admin wrote to {changed}"


def test_fix01_a_history_admin_that_could_revert_stops_the_start(monkeypatch):
    assert "identity_registry.E010" not in {message.id for message in run_checks()}
    monkeypatch.setitem(admin.site._registry, InsiProposal, SimpleHistoryAdmin(InsiProposal, admin.site))
    assert history_admins_that_write(admin.site) == ["insi.InsiProposal"]
    assert [error.id for error in check_history_admins_read_only(None)] == ["identity_registry.E010"]
