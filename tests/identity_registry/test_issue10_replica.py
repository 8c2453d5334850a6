"""Issue 10 with a real streaming replica: a search is served by the replica, a write is refused there.

.ci/run starts the replica (.ci/replica.sh: ``pg_basebackup -R`` of the primary, on port 5433) and runs this
file with ``DATABASE_REPLICA_URLS`` set; the test database, created on the primary, reaches the replica by
replication. Without a replica the tests are skipped, unless ``REPLICA_TEST_REQUIRED=1`` (as in CI), where
a missing replica fails them instead.
"""

import os
import time

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext

from identity_registry.database.middleware import PIN_COOKIE
from patients.models import Patient
from tests.factories import PatientFactory
from tests.patients.api.conftest import token_client, user_with_role

REPLICA = "replica1"
SEARCH = "/api/v1/patients/search/"

if not getattr(settings, "DATABASE_REPLICAS", []):
    if os.environ.get("REPLICA_TEST_REQUIRED") == "1":
        raise RuntimeError("REPLICA_TEST_REQUIRED=1 but DATABASE_REPLICA_URLS is not set: no replica to test")
    pytest.skip("no replica: set DATABASE_REPLICA_URLS (.ci/replica.sh start)", allow_module_level=True)

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="streaming replication: PostgreSQL"),
]


def _replica_admin() -> psycopg.Connection:
    """A connection to the replica server's maintenance database (the test database may not be there yet)."""
    replica = settings.DATABASES[REPLICA]
    return psycopg.connect(
        host=replica["HOST"], port=replica["PORT"], user=replica["USER"], dbname="postgres", autocommit=True
    )


def _wait_for_replay(timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with _replica_admin() as replica:
        while True:
            caught_up = replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]
            if caught_up:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not replay up to {target} in {timeout} s")
            time.sleep(0.05)


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(f"{p['birth_name']} {p['first_name']}" for p in response.json()["results"])


def test_issue10_the_replica_is_a_hot_standby_that_refuses_writes():
    _wait_for_replay()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert port == str(settings.DATABASES[REPLICA]["PORT"])
    with pytest.raises(DatabaseError, match="read-only transaction"), connections[REPLICA].cursor() as cursor:
        cursor.execute("UPDATE patients_patient SET birth_name = 'X'")
    # The ORM goes to the primary for writes whatever the caller asked for reads.
    patient = PatientFactory(birth_name="LECTEUR", first_name="ANNE")
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Patient.objects.using(REPLICA).filter(pk=patient.pk).update(birth_name="ECRITURE")


def test_issue10_a_search_is_served_by_the_replica_and_a_write_pins_the_client_to_the_primary():
    client = token_client(user_with_role("agent"))
    PatientFactory(birth_name="REPLIQUE", first_name="ALICE")
    _wait_for_replay()
    with _replica_admin() as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            # Written on the primary while the replica stands still: only the primary knows BRUNO.
            created = client.post(
                "/api/v1/patients/",
                {
                    "birth_name": "REPLIQUE",
                    "first_name": "BRUNO",
                    "first_names": "BRUNO",
                    "sex": "M",
                    "birth_date": "1980-02-03",
                    "birthplace_cog": "75056",
                },
                format="json",
            )
            assert created.status_code == 201, created.content
            # The write set the pin cookie: a search of the same client within the pin reads the primary.
            assert PIN_COOKIE in created.cookies
            assert _names(client.post(SEARCH, {"name": "REPLIQUE"}, format="json")) == [
                "REPLIQUE ALICE",
                "REPLIQUE BRUNO",
            ]
            # Another client (no pin) searches on the replica, which has not seen BRUNO yet.
            other = token_client(user_with_role("referent"))
            with CaptureQueriesContext(connections[REPLICA]) as on_replica:
                found = _names(other.post(SEARCH, {"name": "REPLIQUE"}, format="json"))
            assert found == ["REPLIQUE ALICE"]
            assert any("patients_patient" in q["sql"] for q in on_replica.captured_queries)
            # Reading the identity by its id is not a lag-tolerant read: the primary answers at once.
            assert other.get(created.json()["patient"]["id"].join(["/api/v1/patients/", "/"])).status_code == 200
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    _wait_for_replay()
    assert _names(token_client(user_with_role("auditor")).post(SEARCH, {"name": "REPLIQUE"}, format="json")) == [
        "REPLIQUE ALICE",
        "REPLIQUE BRUNO",
    ]
