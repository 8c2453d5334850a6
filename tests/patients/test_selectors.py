"""Search and work lists: TR-05, TR-08, TR-09."""

from datetime import date

import pytest

from patients.models import Patient
from patients.search.selectors import patient_tolerant_search
from patients.selectors import (
    looks_like_ins,
    patient_search,
    patients_to_complete,
    patients_to_regularise,
)
from tests.factories import PatientFactory, retrieve_ins

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "dartagnan": PatientFactory(
            birth_name="D'Artagnan de l'Hérault",
            first_name="Pierre-Alain",
            first_names="Pierre-Alain Muriel",
            sex="M",
            birth_date=date(2001, 6, 17),
        ),
        "eve": PatientFactory(
            birth_name="Dupont", first_name="Ève-Marie", used_name="Le Gall", birth_date=date(1980, 4, 12)
        ),
        "martine": PatientFactory(birth_name="Martine", first_name="Zoé", birth_date=date(1975, 12, 31)),
    }


@pytest.mark.parametrize(
    ("name", "first_name", "expected"),
    [
        ("DARTAGNAN", "", "dartagnan"),
        ("d artagnan", "pierre alain", "dartagnan"),
        ("dartagnan de lherault", "", "dartagnan"),
        ("dupont", "eve marie", "eve"),
        ("legall", "", "eve"),
        ("Le-Gall", "EVE", "eve"),
        ("", "pierrealain", "dartagnan"),
        ("", "muriel", "dartagnan"),
    ],
)
def test_tr05_search_ignores_case_accents_hyphens_apostrophes_and_spaces(people, name, first_name, expected):
    found = list(patient_search(name=name, first_name=first_name))
    assert found == [people[expected]]


def test_tr05_search_by_birth_date_narrows_homonyms(people):
    PatientFactory(birth_name="Dupont", first_name="Eve-Marie", birth_date=date(1990, 1, 1))
    assert patient_search(name="dupont").count() == 2
    assert list(patient_search(name="dupont", birth_date=date(1980, 4, 12))) == [people["eve"]]


def test_tr05_search_by_ins_finds_the_patient(people):
    retrieve_ins(people["martine"])
    assert list(patient_search(ins="2 75 12 63 220 749 74")) == [people["martine"]]
    assert box("275126322074974") == [people["martine"]]


def box(text: str) -> list[Patient]:
    """What the search box finds, in its order (the one search box of the screens and the API)."""
    hits = patient_tolerant_search(text=text)[1]
    found = Patient.objects.in_bulk([hit.patient_id for hit in hits])
    return [found[hit.patient_id] for hit in hits]


def test_tr05_quick_search_combines_name_and_first_name_words(people):
    assert box("Dupont Ève") == [people["eve"]]
    assert box("d'artagnan") == [people["dartagnan"]]
    assert box("inconnu") == []


def test_tr05_the_first_name_narrows_a_name_search(people):
    assert list(patient_search(name="martine", first_name="zoe")) == [people["martine"]]
    assert list(patient_search(name="martine", first_name="eve")) == []


def test_looks_like_ins_accepts_corsican_matricules_only_when_fifteen_characters():
    assert looks_like_ins("297022A02077878") == "297022A02077878"
    assert looks_like_ins("dupont") is None
    assert looks_like_ins("12345") is None


def test_tr08_sansnom_and_sansprenom_identities_are_listed_to_complete():
    unknown = PatientFactory(birth_name="SANSNOM", first_name="SANSPRENOM")
    PatientFactory(birth_name="MARTIN")
    assert list(patients_to_complete()) == [unknown]


def test_tr09_identities_to_regularise_are_listed():
    flagged = PatientFactory(birth_name="SMITH", to_regularise=True)
    PatientFactory(birth_name="MARTIN")
    assert list(patients_to_regularise()) == [flagged]
