"""Issue 11, AUD-01: the access log and the DMP decision log are hash-chained; verify_audit finds a break."""

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from consent.codes import AccessPurpose
from consent.models import AccessDecisionLog
from consent.services import dmp_access_decision
from identity_registry.audit_chain import row_digest
from patients.audit import patient_record_access
from patients.records import PatientAccess, RetentionPurge
from patients.retention import PurgeRefused, retention_purge

pytestmark = pytest.mark.django_db


def _read(referent, patient, times=3):
    for _ in range(times):
        patient_record_access(actor=referent, patients=[patient], action=PatientAccess.Action.RETRIEVE)


def _tamper(table: str, pk: int, assignment: str) -> None:
    """What an attacker with database access would do: switch the triggers off and edit a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the deferred FK checks first
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        cursor.execute(f'UPDATE "{table}" SET {assignment} WHERE id = %s', [pk])  # noqa: S608 - test constants
        if connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_fix11_aud01_each_row_carries_the_digest_of_the_previous_one(referent, patient):
    _read(referent, patient)
    rows = list(PatientAccess.objects.order_by("pk"))
    assert rows[0].prev_digest == ""
    for before, after in itertools.pairwise(rows):
        assert after.prev_digest == before.digest
        assert after.digest == row_digest(before.digest, after)
    assert "chaîne intacte, 3 ligne(s)" in _verify()


def test_fix11_aud01_verify_audit_finds_an_edited_access_row(referent, patient):
    _read(referent, patient)
    second = PatientAccess.objects.order_by("pk")[1]
    _tamper(PatientAccess._meta.db_table, second.pk, "action = 'search'")
    out = StringIO()
    with pytest.raises(CommandError, match="Chaîne d'audit rompue"):
        call_command("verify_audit", stdout=out)
    assert f"première rupture à la ligne id={second.pk}, le contenu de la ligne a été modifié" in out.getvalue()
    assert f"first break at row id={second.pk}" in out.getvalue()


def test_fix11_aud01_verify_audit_finds_a_deleted_decision_row(referent, patient, episode, make_professional):
    professional = make_professional()
    for _ in range(3):
        dmp_access_decision(
            actor=referent,
            patient=patient,
            professional=professional,
            episode=episode,
            purpose=AccessPurpose.CONSULTATION,
        )
    _first, second, _third = AccessDecisionLog.objects.order_by("pk")
    _tamper(AccessDecisionLog._meta.db_table, second.pk, f"digest = '{'0' * 64}'")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=out)
    assert f"BROKEN consent.AccessDecisionLog: first break at row id={second.pk}" in out.getvalue()


def test_fix11_aud01_verify_audit_exit_code_is_non_zero_on_a_break(referent, patient):
    _read(referent, patient, times=2)
    _tamper(PatientAccess._meta.db_table, PatientAccess.objects.order_by("pk").first().pk, "prev_digest = 'x'")
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=StringIO())
    assert exc.value.returncode == 1


def test_fix11_aud01_retention_purge_is_logged_and_keeps_the_chain_verifiable(referent, patient):
    _read(referent, patient, times=4)
    old = list(PatientAccess.objects.order_by("pk")[:2])
    # Everything older than the third read goes: the two oldest rows.
    third = PatientAccess.objects.order_by("pk")[2]
    purge = retention_purge(model=PatientAccess, before=third.accessed_at, actor="dpo", reason="Rétention 10 ans")
    assert purge.rows_deleted == 2
    assert purge.anchor_digest == old[1].digest
    assert PatientAccess.objects.count() == 2
    assert RetentionPurge.objects.get().table == "patients.PatientAccess"
    # The chain now starts at the purge's anchor: still verifiable.
    assert "chaîne intacte, 2 ligne(s)" in _verify()


def test_fix11_aud01_purge_refuses_an_ordinary_table_or_no_reason(referent, patient):
    from patients.models import Patient

    with pytest.raises(PurgeRefused):
        retention_purge(model=Patient, before=timezone.now(), actor="dpo", reason="x")
    with pytest.raises(PurgeRefused):
        retention_purge(model=PatientAccess, before=timezone.now(), actor="dpo", reason=" ")


def test_fix11_aud01_purge_command_deletes_old_rows_and_logs_it(referent, patient):
    _read(referent, patient, times=1)
    out = StringIO()
    call_command("purge_audit_log", "patients.PatientAccess", "--older-than-days", "1", "--reason", "test", stdout=out)
    assert "0 ligne(s) purgée(s)" in out.getvalue()
    assert RetentionPurge.objects.get().rows_deleted == 0
    assert PatientAccess.objects.count() == 1
