"""Issue 10: the registry through pgbouncer in transaction mode (DATABASE_POOLER=pgbouncer).

.ci/run starts pgbouncer (.ci/pgbouncer.sh, port 6433) and runs this file, with the API tests, through it.
Elsewhere the file is skipped, unless ``PGBOUNCER_TEST_REQUIRED=1`` (as in CI) makes a missing pooler fail.
"""

import os
from datetime import UTC

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from patients.models import Patient
from tests.factories import PatientFactory

if settings.DATABASE_POOLER != "pgbouncer":
    if os.environ.get("PGBOUNCER_TEST_REQUIRED") == "1":
        raise RuntimeError("PGBOUNCER_TEST_REQUIRED=1 but DATABASE_POOLER is not pgbouncer")
    pytest.skip("not behind pgbouncer: set DATABASE_POOLER=pgbouncer (.ci/pgbouncer.sh start)", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_console(command: str) -> list[tuple]:
    """A command of pgbouncer's admin console (simple query protocol only, hence the client cursor)."""
    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="pgbouncer", autocommit=True
    ) as console:
        return psycopg.ClientCursor(console).execute(command).fetchall()


def test_issue10_the_suite_talks_to_pgbouncer_in_transaction_mode():
    config = {row[0]: row[1] for row in _admin_console("SHOW CONFIG")}
    assert config["pool_mode"] == "transaction"
    connection.ensure_connection()
    pools = [row[0] for row in _admin_console("SHOW POOLS")]
    assert connection.settings_dict["NAME"] in pools  # the test database is served through a pgbouncer pool
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True


def _hold_a_server_connection() -> psycopg.Connection:
    """Another client of pgbouncer, in a transaction: it keeps the server connection it was lent."""
    database = settings.DATABASES["default"]
    other = psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"]
    )
    other.execute("SELECT 1")  # psycopg opened a transaction: the server connection stays with this client
    return other


def test_issue10_iterating_a_result_outside_a_transaction_survives_connection_lending():
    # With a server-side cursor, each FETCH of .iterator() is its own transaction: the next one may be lent
    # another server connection, where the cursor does not exist. Here the server connection used for the
    # first rows is taken by another client between two chunks.
    for name in ("POOLA", "POOLB", "POOLC"):
        PatientFactory(birth_name=name)
    assert not connection.in_atomic_block
    names, held = [], []
    try:
        for patient in Patient.objects.order_by("birth_name").iterator(chunk_size=1):
            names.append(patient.birth_name)
            held.append(_hold_a_server_connection())
    finally:
        for other in held:
            other.close()
    assert names == ["POOLA", "POOLB", "POOLC"]


def test_issue10_time_zone_holds_on_every_lent_server_connection():
    # Django sets the session's time zone once per client connection; pgbouncer must carry it across lends.
    for _ in range(30):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('TimeZone'), now()")
            zone, now = cursor.fetchone()
        assert zone == "UTC"
        assert now.tzinfo is not None and abs((now - timezone.now()).total_seconds()) < 60
        assert now.utcoffset() == UTC.utcoffset(None)


def test_issue10_a_locking_transaction_works_through_the_pooler():
    patient = PatientFactory(birth_name="VERROU")
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        Patient.objects.filter(pk=locked.pk).update(used_name="POSE")
    assert Patient.objects.get(pk=patient.pk).used_name == "POSE"
