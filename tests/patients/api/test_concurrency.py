"""Optimistic concurrency: two clients holding the same ETag, exactly one write applies, the other gets 412."""

from unittest import mock

import pytest

from patients.models import Patient
from patients.services import common as service_common
from tests.factories import PatientFactory
from tests.patients.api.conftest import detail_url, requires_postgresql
from tests.patients.api.threads import run_together, slowed


def _updates_in_history(patient: Patient) -> list[str]:
    return [r.used_name for r in patient.history.filter(history_reason_code="TRAITS_UPDATE")]


@pytest.mark.django_db
def test_second_writer_with_the_same_etag_gets_412_and_changes_nothing(client_for):
    patient = PatientFactory()
    first, second = client_for("agent"), client_for("dpi")
    etag = first.get(detail_url(patient))["ETag"]
    assert second.get(detail_url(patient))["ETag"] == etag
    ok = first.patch(detail_url(patient), {"used_name": "DURAND"}, format="json", HTTP_IF_MATCH=etag)
    stale = second.patch(detail_url(patient), {"used_name": "MARTIN"}, format="json", HTTP_IF_MATCH=etag)
    assert (ok.status_code, stale.status_code) == (200, 412)
    patient.refresh_from_db()
    assert patient.used_name == "DURAND"
    assert _updates_in_history(patient) == ["DURAND"]


@pytest.mark.postgres
@requires_postgresql
@pytest.mark.django_db(transaction=True)  # role groups come back after each flush (post_migrate sync)
def test_two_concurrent_writers_with_the_same_etag_exactly_one_applies(client_for):
    patient = PatientFactory()
    first, second = client_for("agent"), client_for("referent")
    etag = first.get(detail_url(patient))["ETag"]

    def write(client, name):
        return lambda: client.patch(detail_url(patient), {"used_name": name}, format="json", HTTP_IF_MATCH=etag)

    # The first writer keeps its row lock a moment, so the second really waits on it.
    with mock.patch.object(service_common, "stamp_history", slowed(service_common.stamp_history)):
        responses = run_together(write(first, "DURAND"), write(second, "MARTIN"))
    assert sorted(r.status_code for r in responses) == [200, 412]
    winner = next(r for r in responses if r.status_code == 200).json()["patient"]["used_name"]
    patient.refresh_from_db()
    assert patient.used_name == winner
    assert patient.version == 2
    assert _updates_in_history(patient) == [winner]
