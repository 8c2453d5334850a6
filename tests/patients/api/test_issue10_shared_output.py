"""Issue 10, the request path: the identity output answers exactly what DRF's own serializer would.

``PatientOutput`` reuses one instance and reads plain attributes directly (``SharedOutput``); the JSON an API
caller gets must not change by a single key or value, whatever the identity holds.
"""

from datetime import date

import pytest
from rest_framework import serializers

from patients.api.serializers import PatientOutput, PatientWriteOutput
from patients.inline_identifiers import with_identifiers
from patients.links import IdentifierAuthority
from patients.models import Patient
from patients.services import IdentityResult, identifier_add
from patients.services.merge import patient_merge
from tests.factories import PatientFactory, UserFactory, qualified_patient
from tests.patients.api.conftest import user_with_role


def drf_representation(patient: Patient) -> dict:
    """What DRF's generic Serializer.to_representation gives, on a fresh (unshared) instance."""
    return serializers.Serializer.to_representation(PatientOutput(), patient)


@pytest.fixture
def identities(db):
    referent = user_with_role("referent")
    qualified = qualified_patient(birth_name="MARTIN", first_name="JEAN", birth_date=date(1970, 3, 4))
    IdentifierAuthority.objects.create(code="GHT-NORD", label="CH Nord")
    tagged = identifier_add(
        actor=UserFactory(), patient=PatientFactory(), authority="GHT-NORD", value="R1", reason="test"
    ).patient
    survivor, merged = PatientFactory(), PatientFactory(birthplace_cog="")
    patient_merge(actor=referent, survivor=survivor, merged=merged, reason="Même personne")
    return [qualified.pk, tagged.pk, survivor.pk, merged.pk]


@pytest.mark.parametrize("inline", [True, False], ids=["identifiers inline", "identifiers by relation"])
def test_issue10_the_shared_identity_output_equals_drf_s_for_every_kind_of_identity(identities, inline):
    queryset = Patient.objects.filter(pk__in=identities)
    patients = list(with_identifiers(queryset) if inline else queryset)
    assert len(patients) == 4
    shown = PatientOutput.represent_many(patients)
    assert shown == [drf_representation(p) for p in patients]
    assert shown == [PatientOutput(p).data for p in patients]
    # The cases that matter are there: an INS, an identifier of another system, a merged identity.
    assert any(row["ins"] for row in shown)
    assert any(row["identifiers"] for row in shown)
    assert any(row["merged_into"] for row in shown)


def test_issue10_the_shared_write_output_equals_drf_s(identities):
    patient = Patient.objects.get(pk=identities[0])
    result = IdentityResult(patient=patient, warnings=["TR-03"], changed_fields=["birth_name"])
    assert PatientWriteOutput.represent(result) == serializers.Serializer.to_representation(
        PatientWriteOutput(), result
    )
