"""The database itself refuses an inconsistent identity (ST-01, ST-02, ST-03, ST-11)."""

import pytest
from django.db import IntegrityError, transaction

from patients.models import Patient
from tests.factories import PatientFactory, check_passport, qualified_patient, retrieve_ins

pytestmark = pytest.mark.django_db


def refused(pk, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=pk).update(**fields)


def test_st01_database_refuses_qual_without_ins():
    patient = PatientFactory()
    refused(patient.pk, status="QUAL", ins_verified=True, document_checked=True)


def test_st01_database_refuses_a_status_that_does_not_follow_the_facts():
    patient = PatientFactory()
    refused(patient.pk, status="QUAL")
    refused(patient.pk, status="VALI")
    refused(patient.pk, document_checked=True)


def test_st03_database_refuses_dout_with_vali():
    patient = check_passport(PatientFactory())
    refused(patient.pk, doubtful=True)
    refused(patient.pk, doubtful=True, status="VALI")


def test_st02_database_refuses_dout_and_fict_together():
    patient = PatientFactory()
    refused(patient.pk, doubtful=True, fictitious=True)


def test_tr01_database_refuses_sex_u_on_a_validated_identity():
    patient = check_passport(PatientFactory())
    refused(patient.pk, sex="U")
    refused(patient.pk, sex="X")


def test_st11_database_refuses_two_active_identities_with_the_same_ins():
    first = qualified_patient()
    second = PatientFactory(birth_name="AUTRE")
    refused(second.pk, ins_matricule=first.ins_matricule, ins_oid=first.ins_oid)


def test_st11_an_inactive_identity_may_keep_the_same_ins():
    first = retrieve_ins(PatientFactory())
    Patient.objects.filter(pk=first.pk).update(is_active=False)
    second = retrieve_ins(PatientFactory(birth_name="AUTRE"))
    assert second.status == "RECUP"


def test_st01_a_consistent_raw_update_is_accepted():
    patient = PatientFactory()
    Patient.objects.filter(pk=patient.pk).update(used_name="NOUVEAU")
    patient.refresh_from_db()
    assert patient.used_name == "NOUVEAU"
