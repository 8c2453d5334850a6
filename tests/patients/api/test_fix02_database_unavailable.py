"""Issue 8 item 2: a lost database connection answers 503 with Retry-After, and nothing is half-written.

On PostgreSQL the test really kills the backend (``pg_terminate_backend``) of a request waiting on a lock.
"""

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections, transaction

from patients.models import Patient
from patients.roles import REFERENT
from tests.factories import PatientFactory, UserFactory
from tests.patients.api.conftest import detail_url, if_match, requires_postgresql
from tests.staff import staff_member

FRENCH_PAGE = "Service momentanément indisponible"


def _assert_api_503(response: Any) -> None:
    assert response.status_code == 503, (response.status_code, response.content[:300])
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "database_unavailable"
    assert "réessayez" in body["message"].lower()


@pytest.mark.django_db
def test_fix02_api_answers_503_json_with_retry_after_when_the_database_connection_is_lost(agent_client):
    patient = PatientFactory()
    lost = OperationalError("terminating connection due to administrator command")
    with mock.patch("patients.services.identity.lock_patient", side_effect=lost):
        response = agent_client.patch(detail_url(patient), {"used_name": "DURAND"}, format="json", **if_match(patient))
    _assert_api_503(response)


@pytest.mark.django_db
def test_fix02_screens_answer_a_french_503_page_with_retry_after_when_the_database_connection_is_lost(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    with mock.patch("django.contrib.admin.options.ModelAdmin.changelist_view", side_effect=OperationalError("lost")):
        response = client.get("/admin/patients/patient/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("text/html")
    assert FRENCH_PAGE in response.content.decode()


def _backend_waiting_on_a_lock(except_pid: int, timeout: float = 10.0) -> int:
    """The pid of the backend (of this test database) that waits on a lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> %s AND pid <> pg_backend_pid()",
                [except_pid],
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.05)
    raise AssertionError("no request ever waited on the lock")


def _killed_while_waiting(lock_sql: str, params: list[Any], request: Any) -> Any:
    """Hold ``lock_sql`` in a thread, run ``request`` in another, kill its backend while it waits; its response."""
    locked, release = threading.Event(), threading.Event()
    holder: dict[str, int] = {}
    result: dict[str, Any] = {}

    def hold() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                holder["pid"] = cursor.fetchone()[0]
                cursor.execute(lock_sql, params)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    def call() -> None:
        try:
            result["response"] = request()
        except Exception as exc:  # surfaced to the test
            result["response"] = exc
        finally:
            connection.close()

    holding = threading.Thread(target=hold)
    holding.start()
    assert locked.wait(10)
    calling = threading.Thread(target=call)
    calling.start()
    try:
        victim = _backend_waiting_on_a_lock(holder["pid"])
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
        calling.join(30)
    finally:
        release.set()
        holding.join(30)
    return result["response"]


@pytest.mark.postgres
@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_fix02_a_patch_whose_backend_is_killed_while_waiting_on_the_row_lock_gets_503_and_writes_nothing(
    client_for,
):
    api = client_for("agent")
    patient = PatientFactory(used_name="")
    before = (patient.version, patient.history.count())

    def patch() -> Any:
        return api.patch(detail_url(patient), {"used_name": "DURAND"}, format="json", **if_match(patient))

    response = _killed_while_waiting("SELECT id FROM patients_patient WHERE id = %s FOR UPDATE", [patient.pk], patch)
    _assert_api_503(response)
    fresh = Patient.objects.get(pk=patient.pk)
    assert (fresh.used_name, fresh.version, fresh.history.count()) == ("", *before)


@pytest.mark.postgres
@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_fix02_a_screen_whose_backend_is_killed_while_waiting_on_a_lock_gets_the_french_503_page(client):
    referent = staff_member(REFERENT, username="referent-503")
    client.force_login(referent)  # django-axes refuses Client.login(), which passes no request
    PatientFactory()
    response = _killed_while_waiting(
        "LOCK TABLE patients_patient IN ACCESS EXCLUSIVE MODE", [], lambda: client.get("/admin/patients/patient/")
    )
    assert not isinstance(response, Exception), response
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert FRENCH_PAGE in response.content.decode()
