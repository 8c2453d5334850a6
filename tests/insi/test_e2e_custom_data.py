"""A data file of its own (INSI_SIMULATOR_DATA): comparison cases end to end over SOAP (INSI-04 to INSI-06)."""

import json
from datetime import date

import pytest

from insi.models import InsiProposal
from insi.services import VitaleCard, insi_search_for_patient, insi_search_with_vitale
from patients.services import patient_create
from tests.insi.helpers import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _ins(body: str) -> dict:
    from patients.ins import ins_key

    return {"matricule": body + ins_key(body), "oid": "1.2.250.1.213.1.4.8"}


PEOPLE = [
    {
        "name": "francised first name",
        "traits": {"birth_name": "ROSSI", "first_names": "GIUSEPPE", "sex": "M", "birth_date": "1950-04-01"},
        "returned_traits": {"first_names": "JOSEPH"},
        "ins": _ins("1500499350001"),
    },
    {
        "name": "composed first name",
        "traits": {"birth_name": "LEBLANC", "first_names": "JEAN PIERRE LOUIS", "sex": "M", "birth_date": "1961-05-02"},
        "ins": _ins("1610575056002"),
    },
    {
        "name": "extra first name",
        "traits": {"birth_name": "DURAND", "first_names": "MARIE LOUISE", "sex": "F", "birth_date": "1972-06-03"},
        "ins": _ins("2720675056003"),
    },
    {
        "name": "COG difference",
        "traits": {
            "birth_name": "PETIT",
            "first_names": "ANNE",
            "sex": "F",
            "birth_date": "1983-07-04",
            "birthplace_cog": "75120",
        },
        "ins": _ins("2830775120004"),
    },
    {
        "name": "sex differs",
        "traits": {"birth_name": "MOREAU", "first_names": "CAMILLE", "sex": "F", "birth_date": "1994-08-05"},
        "returned_traits": {"sex": "M"},
        "ins": _ins("2940875056005"),
    },
]


@pytest.fixture
def own_data(tmp_path, settings, soap_backend):
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": PEOPLE}), encoding="utf-8")
    settings.INSI_SIMULATOR_DATA = str(path)
    return path


def _create(agent, **traits):
    return patient_create(actor=agent, **traits).patient


def test_insi05_francised_first_name_is_discordant_and_nothing_changes(own_data, agent):
    patient = _create(agent, birth_name="ROSSI", first_name="GIUSEPPE", sex="M", birth_date=date(1950, 4, 1))
    before = snapshot(patient)
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert outcome.outcome == "DISCORDANT"
    assert [(d.trait, d.rule) for d in outcome.differences] == [("first_name", "INSI-05")]
    assert snapshot(patient) == before


def test_insi04_composed_first_name_matches_a_list_opening_with_its_words(own_data, agent):
    patient = _create(
        agent,
        birth_name="LEBLANC",
        first_name="JEAN-PIERRE",
        first_names="JEAN-PIERRE LOUIS",
        sex="M",
        birth_date=date(1961, 5, 2),
    )
    # Issue 14 item 9: INSi matches first names as space-separated words, so a traits search sending
    # JEAN-PIERRE finds nobody; the carte Vitale keys the search, and the comparison tolerates it (INSI-04).
    card = VitaleCard(individual=_ins("1610575056002")["matricule"])
    outcome = insi_search_with_vitale(actor=agent, patient=patient, card=card)
    patient.refresh_from_db()
    assert outcome.outcome == "MATCH"
    assert "INSI-04" in {d.rule for d in outcome.differences}
    assert patient.status == "RECUP"
    # RNIV INSI-09: INSi's traits replace the local ones.
    assert (patient.first_name, patient.first_names) == ("JEAN", "JEAN PIERRE LOUIS")


def test_insi06_extra_first_name_needs_a_decision_and_nothing_changes_yet(own_data, agent):
    patient = _create(agent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3))
    before = snapshot(patient)
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert outcome.outcome == "NEEDS_DECISION"
    assert [(d.trait, d.rule) for d in outcome.differences] == [("first_names", "INSI-06")]
    assert snapshot(patient) == before
    proposal = InsiProposal.objects.get(patient=patient)
    assert (proposal.state, proposal.first_names) == ("PENDING", "MARIE LOUISE")


def test_insi06_cog_difference_needs_a_decision(own_data, agent):
    patient = _create(
        agent, birth_name="PETIT", first_name="ANNE", sex="F", birth_date=date(1983, 7, 4), birthplace_cog="75056"
    )
    before = snapshot(patient)
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert outcome.outcome == "NEEDS_DECISION"
    assert [(d.trait, d.local, d.returned, d.rule) for d in outcome.differences] == [
        ("birthplace_cog", "75056", "75120", "INSI-06")
    ]
    assert snapshot(patient) == before


def test_insi03_returned_sex_that_differs_is_discordant(own_data, agent):
    patient = _create(agent, birth_name="MOREAU", first_name="CAMILLE", sex="F", birth_date=date(1994, 8, 5))
    before = snapshot(patient)
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert outcome.outcome == "DISCORDANT"
    assert [(d.trait, d.local, d.returned, d.rule) for d in outcome.differences] == [("sex", "F", "M", "INSI-03")]
    assert snapshot(patient) == before
