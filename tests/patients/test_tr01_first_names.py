"""RNIV TR-01, TR-04: the list of birth first names opens with the first first name, word for word."""

from datetime import date

import pytest

from identity_registry.exceptions import InvalidInput
from patients.models import Patient
from patients.services import patient_create

pytestmark = pytest.mark.django_db


def create(agent, first_name: str, first_names: str):
    return patient_create(
        actor=agent,
        birth_name="MARTIN",
        first_name=first_name,
        first_names=first_names,
        sex="M",
        birth_date=date(1980, 4, 12),
    )


def test_tr01_a_list_opening_with_a_longer_name_is_refused_and_nothing_is_stored(agent):
    with pytest.raises(InvalidInput) as excinfo:
        create(agent, "Jean", "Jeannot Marc")
    assert excinfo.value.details == {
        "first_names": [
            "La liste des prénoms de naissance doit commencer par le premier prénom de naissance (règle TR-01)."
        ]
    }
    assert not Patient.objects.exists()


def test_tr04_a_composed_first_name_opens_its_list_whatever_the_separator(agent):
    patient = create(agent, "Jean-Pierre", "Jean Pierre Paul").patient
    assert (patient.first_name, patient.first_names) == ("JEAN-PIERRE", "JEAN PIERRE PAUL")
