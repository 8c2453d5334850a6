"""RNIV DM-01 (reverse): an INS read on a Datamatrix is never I; INSi's answer is compared with it."""

from datetime import date

import pytest

from identity_registry.exceptions import RuleViolation
from insi.services import insi_search_for_patient
from patients.services import patient_create

pytestmark = pytest.mark.django_db

ADRUN = {"birth_name": "ADRUN", "first_name": "ZOE", "sex": "F", "birth_date": date(1975, 12, 31)}


def test_dm01_a_read_ins_leaves_the_identity_provisional(agent):
    patient = patient_create(
        actor=agent, collection_method="CB", ins_read=("275126322074974", "1.2.250.1.213.1.4.8"), **ADRUN
    ).patient
    assert patient.status == "PROV" and not patient.ins_verified and patient.ins_matricule is None
    assert patient.ins_read_matricule == "275126322074974"


def test_dm01_insi_returning_the_same_ins_gives_i_and_clears_the_read_ins(agent):
    patient = patient_create(
        actor=agent, collection_method="CB", ins_read=("275126322074974", "1.2.250.1.213.1.4.8"), **ADRUN
    ).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    patient.refresh_from_db()
    assert patient.ins_verified and patient.ins_matricule == "275126322074974"
    assert patient.ins_read_matricule == ""
    assert not any("Datamatrix" in warning for warning in outcome.warnings)


def test_dm01_insi_returning_another_ins_warns_the_agent(agent):
    # A valid NIR that is not ADRUN's: the document shown may not be the patient's.
    patient = patient_create(
        actor=agent, collection_method="CB", ins_read=("255081416802538", "1.2.250.1.213.1.4.8"), **ADRUN
    ).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert patient.__class__.objects.get(pk=patient.pk).ins_matricule == "275126322074974"
    assert any("diffère de celle lue sur le Datamatrix" in warning for warning in outcome.warnings)


def test_dm01_a_read_ins_with_a_wrong_key_is_refused(agent):
    with pytest.raises(RuleViolation):
        patient_create(actor=agent, ins_read=("275126322074975", "1.2.250.1.213.1.4.8"), **ADRUN)
