"""The quick-start demo data set (make run)."""

import pytest
from django.core.management import call_command

from patients.models import Patient

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_and_attribute_and_is_idempotent(capsys):
    call_command("load_demo")
    first_count = Patient.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Patient.objects.count() == first_count >= 30
    assert set(Patient.objects.values_list("status", flat=True)) == {"PROV", "RECUP", "VALI", "QUAL"}
    for flag in ("doubtful", "fictitious", "homonym_detected", "homonym_confirmed", "to_regularise"):
        assert Patient.objects.filter(**{flag: True}).exists(), flag
    assert Patient.objects.filter(birth_name="SANSNOM", sex="U").exists()
    for name in ("agent", "referent", "auditeur", "dpi"):
        assert name in out


def test_demo_holds_the_public_insi_test_people_as_provisional_identities():
    call_command("load_demo")
    for name in ("ADRUN", "TCHITCHI", "HOUILLES", "HERMAN", "VANDERMONDE", "D'AEION", "DE VINCI"):
        assert Patient.objects.get(birth_name=name, first_name__isnull=False).status == "PROV"
