"""Migrations 0008-0011: identities that existed before the IPP get one each, valid and distinct."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from stdnum import luhn

BEFORE = [("patients", "0006_history_reason_text")]


@pytest.mark.django_db(transaction=True)
def test_ipp_backfill_gives_every_existing_identity_its_own_number():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old_patient = executor.loader.project_state(BEFORE).apps.get_model("patients", "Patient")
    for name in ("ANCIEN", "AUTRE", "TROISIEME"):
        old_patient.objects.create(
            birth_name=name, first_name="JEAN", first_names="JEAN", sex="M", birth_date=date(1970, 1, 1), status="PROV"
        )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from patients.models import Patient
    from tests.factories import PatientFactory

    ipps = list(Patient.objects.order_by("pk").values_list("ipp", flat=True))
    assert len(ipps) == 3 and len(set(ipps)) == 3
    for ipp in ipps:
        luhn.validate(ipp)
    # The sequence goes on after the backfilled numbers: a new identity never reuses one.
    assert PatientFactory().ipp not in ipps
