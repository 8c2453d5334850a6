"""Races on PostgreSQL: one merge of a pair, one holder of an identifier, and an events feed read exactly once."""

import random
import threading
import time
from unittest import mock

import pytest
from django.db import connection

from identity_registry.exceptions import RuleViolation
from patients.events import PatientEvent, emit_patient_event, events_after
from patients.links import ExternalIdentifier, MergeRecord
from patients.models import Patient
from patients.services import common as service_common
from patients.services import identifier_add, patient_create, patient_merge, patient_update_traits
from tests.factories import PatientFactory
from tests.patients.api.conftest import requires_postgresql
from tests.patients.api.threads import run_together, slowed
from tests.patients.merge_world import authority, referent_user

pytestmark = [pytest.mark.postgres, requires_postgresql, pytest.mark.django_db(transaction=True)]


def _slow_saves():
    # The first writer keeps its row locks a moment, so its twin really waits on them.
    return mock.patch.object(service_common, "stamp_history", slowed(service_common.stamp_history))


def test_aud05_two_referents_merging_the_same_pair_at_once_give_one_merge():
    first, second = referent_user("referent-a"), referent_user("referent-b")
    survivor, duplicate = PatientFactory(), PatientFactory()

    def merge(actor, kept, gone):
        return lambda: patient_merge(actor=actor, survivor=kept, merged=gone, reason="doublon")

    # The same pair, from both sides: locks in primary-key order make the second one wait, then refuse.
    with _slow_saves():
        results = run_together(merge(first, survivor, duplicate), merge(second, duplicate, survivor))
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(refused) == 1, results
    assert refused[0].code == "AUD-05"
    assert MergeRecord.objects.count() == 1
    assert Patient.objects.filter(pk__in=[survivor.pk, duplicate.pk], is_active=True).count() == 1


def test_identifier_given_to_two_active_identities_at_once_is_refused_for_one():
    actor = referent_user()
    first, second = PatientFactory(), PatientFactory()
    code = authority().code

    def add(patient):
        return lambda: identifier_add(actor=actor, patient=patient.pk, authority=code, value="RACE-1")

    with _slow_saves():
        results = run_together(add(first), add(second))
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(refused) == 1, results
    assert refused[0].code == "IDENTIFIER_TAKEN"
    assert ExternalIdentifier.objects.filter(value="RACE-1").count() == 1


WRITERS = 20
WRITES_EACH = 3


def _writer(index: int, actor) -> None:
    try:
        patient = patient_create(
            actor=actor, birth_name=f"ECRIVAIN{chr(65 + index)}", first_name="ZOE", sex="F", birth_date=_date()
        ).patient
        for step in range(WRITES_EACH - 1):
            patient_update_traits(actor=actor, patient=patient.pk, changes={"used_name": f"NOM{chr(65 + step)}"})
    finally:
        connection.close()


def _date():
    from datetime import date

    return date(1990, 3, 15)


def test_events_a_consumer_polling_during_20_concurrent_writers_sees_each_event_once_in_order():
    actor = referent_user()
    start = PatientEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    seen: list[int] = []
    done = threading.Event()

    def consume() -> None:
        cursor = start
        try:
            while True:
                finished = done.is_set()
                for event in events_after(after=cursor, limit=7):
                    seen.append(event.seq)
                    cursor = event.seq
                if finished and not events_after(after=cursor, limit=1):
                    return
                time.sleep(0.001)
        finally:
            connection.close()

    def lingering_emit(*args, **kwargs):
        # Each writer lingers between taking its event position and committing: the window in which a
        # position allocated without the counter lock would commit out of order and be skipped.
        event = emit_patient_event(*args, **kwargs)
        time.sleep(random.uniform(0, 0.01))
        return event

    consumer = threading.Thread(target=consume)
    consumer.start()
    writers = [threading.Thread(target=_writer, args=(i, actor)) for i in range(WRITERS)]
    with mock.patch.object(service_common, "emit_patient_event", lingering_emit):
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(timeout=120)
    done.set()
    consumer.join(timeout=60)

    committed = list(PatientEvent.objects.filter(seq__gt=start).order_by("seq").values_list("seq", flat=True))
    assert len(committed) == WRITERS * WRITES_EACH
    assert seen == committed  # every event, once, in order
    assert committed == list(range(start + 1, start + 1 + len(committed)))  # no gap: commit order
