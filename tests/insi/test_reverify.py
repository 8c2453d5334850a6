"""RNIV ST-08 batch re-verification: selector, summary, and resumption without verifying anyone twice."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from insi.backends.simulator import SimulatorClient
from insi.models import InsiCall
from insi.selectors import patients_due_for_reverification
from patients.ins import ins_key
from patients.models import Patient
from patients.services import patient_create
from tests.factories import check_passport, retrieve_ins

pytestmark = pytest.mark.django_db

PEOPLE = 6


class InterruptedSimulator(SimulatorClient):
    """Simulates Ctrl-C (or a kill) after a few verifications."""

    calls = 0
    stop_after = 3

    def verify(self, query):
        type(self).calls += 1
        if type(self).calls > self.stop_after:
            raise KeyboardInterrupt
        return super().verify(query)


@pytest.fixture
def qualified_people(tmp_path, settings, agent):
    people, patients = [], []
    for n in range(PEOPLE):
        body = f"18001750560{n:02d}"
        matricule = body + ins_key(body)
        name = f"LOT{'ABCDEFGH'[n]}"
        people.append(
            {
                "traits": {"birth_name": name, "first_names": "PAUL", "sex": "M", "birth_date": "1980-01-01"},
                "ins": {"matricule": matricule, "oid": "1.2.250.1.213.1.4.8"},
            }
        )
        patient = patient_create(
            actor=agent, birth_name=name, first_name="PAUL", sex="M", birth_date=date(1980, 1, 1)
        ).patient
        patient = retrieve_ins(patient, matricule=matricule, actor=agent)
        patients.append(check_passport(patient, actor=agent))
    path = tmp_path / "lot.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": people}))
    settings.INSI_SIMULATOR_DATA = str(path)
    # Time passes: the last checks are now four years old (test setup, not product code).
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(
        ins_verified_at=timezone.now() - timedelta(days=4 * 365)
    )
    return patients


def _run(**options) -> str:
    out = StringIO()
    call_command("insi_reverify", "--no-progress", "--concurrency", "1", "--rate", "0", stdout=out, **options)
    return out.getvalue()


def test_st08_selector_lists_qualified_identities_whose_last_check_is_too_old(qualified_people, agent):
    recent = patient_create(actor=agent, birth_name="RECENT", first_name="ANNE", sex="F", birth_date=date(1990, 1, 1))
    fresh = check_passport(retrieve_ins(recent.patient, matricule="290017505600145", actor=agent), actor=agent)
    due = set(patients_due_for_reverification().values_list("pk", flat=True))
    assert due == {p.pk for p in qualified_people}
    assert fresh.pk not in due


def test_st08_reverify_prints_its_summary_and_dates_every_check(qualified_people):
    output = _run()
    assert "vérifiées 6 · modifiées 0 · en échec 0" in output
    assert not patients_due_for_reverification().exists()


def test_st08_reverify_killed_halfway_then_restarted_verifies_nobody_twice(qualified_people, settings):
    settings.INSI_CLIENT = "tests.insi.test_reverify.InterruptedSimulator"
    InterruptedSimulator.calls = 0
    with pytest.raises(CommandError):
        _run()
    assert InsiCall.objects.filter(outcome=InsiCall.Outcome.VERIFIED).count() == 3
    settings.INSI_CLIENT = "insi.backends.simulator.SimulatorClient"
    output = _run()
    assert "vérifiées 3" in output
    for patient in qualified_people:
        assert InsiCall.objects.filter(patient=patient, operation=InsiCall.Operation.VERIFY).count() == 1
    assert not patients_due_for_reverification().exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_st08_reverify_with_parallel_workers_verifies_each_identity_once(qualified_people):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    out = StringIO()
    call_command("insi_reverify", "--no-progress", "--concurrency", "3", "--rate", "0", stdout=out)
    assert "vérifiées 6" in out.getvalue()
    for patient in qualified_people:
        assert InsiCall.objects.filter(patient=patient, operation=InsiCall.Operation.VERIFY).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_st08_a_second_batch_started_while_one_runs_is_refused_and_verifies_nobody(qualified_people):
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the batch lock is a PostgreSQL advisory lock")
    from insi.reverify import BATCH_LOCK_KEY

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other_batch:
        other_batch.execute("SELECT pg_advisory_lock(%s)", [BATCH_LOCK_KEY])
        with pytest.raises(CommandError, match="déjà en cours"):
            call_command("insi_reverify", "--no-progress", "--rate", "0", stdout=StringIO())
    assert not InsiCall.objects.filter(operation=InsiCall.Operation.VERIFY).exists()
    call_command("insi_reverify", "--no-progress", "--rate", "0", stdout=StringIO())
    assert not patients_due_for_reverification().exists()
