"""INSi services against the in-process simulator: verification, decisions, carte Vitale, logs and history."""

from datetime import date

import pytest

from identity_registry.exceptions import InvalidInput, InvalidTransition, RuleViolation
from insi import reasons
from insi.models import InsiCall, InsiProposal
from insi.services import (
    VitaleCard,
    insi_decide_proposal,
    insi_search_for_patient,
    insi_search_with_vitale,
    insi_verify_patient,
)
from patients import reasons as patient_reasons
from patients.services import identity_set_attribute, patient_create, patient_update_traits
from tests.factories import UserFactory, check_passport, retrieve_ins
from tests.insi.helpers import calls_of, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent(db):
    return UserFactory(username="referent-iv")


def _durand(agent):
    return patient_create(actor=agent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3))


@pytest.fixture
def extra_first_name_data(tmp_path, settings):
    import json

    from patients.ins import ins_key

    body = "2720675056003"
    people = [
        {
            "traits": {"birth_name": "DURAND", "first_names": "MARIE LOUISE", "sex": "F", "birth_date": "1972-06-03"},
            "ins": {"matricule": body + ins_key(body), "oid": "1.2.250.1.213.1.4.8"},
        }
    ]
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": people}))
    settings.INSI_SIMULATOR_DATA = str(path)
    return body + ins_key(body)


def test_insi09_retrieval_writes_a_call_log_row_and_a_history_row_with_user_and_reason(make_person, agent):
    patient = make_person("ADRUN")
    insi_search_for_patient(actor=agent, patient=patient, reason="Admission")
    [call] = calls_of(patient)
    assert (call.actor, call.operation, call.cr, call.returned_matricule) == (
        agent,
        InsiCall.Operation.SEARCH_TRAITS,
        "00",
        "275126322074974",
    )
    assert (call.sent_birth_name, call.sent_first_name, call.sent_sex, call.sent_birth_date) == (
        "ADRUN",
        "ZOE",
        "F",
        "1975-12-31",
    )
    latest = patient.history.latest("history_date")
    assert (latest.history_user, latest.history_reason_code, latest.history_change_reason) == (
        agent,
        patient_reasons.INS_RETRIEVED,
        "Admission",
    )


def test_st05_after_a_retrieval_a_strict_trait_cannot_be_edited_and_nothing_changes(make_person, agent):
    patient = make_person("ADRUN")
    insi_search_for_patient(actor=agent, patient=patient)
    before = snapshot(patient)
    with pytest.raises(RuleViolation) as caught:
        patient_update_traits(
            actor=agent, patient=patient, changes={"first_name": "ZOE-MARIE", "first_names": "ZOE-MARIE"}
        )
    assert caught.value.code == "ST-05"
    assert caught.value.http_status == 409
    assert snapshot(patient) == before


def test_st03_doubtful_identity_is_never_sent_to_insi(make_person, agent):
    patient = make_person("ADRUN")
    identity_set_attribute(actor=agent, patient=patient, attribute="DOUT", reason="Pièce suspecte")
    with pytest.raises(InvalidTransition) as caught:
        insi_search_for_patient(actor=agent, patient=patient)
    assert caught.value.code == "ST-03"
    assert calls_of(patient) == []


def test_tr01_unknown_sex_is_never_sent_to_insi(make_person, agent):
    patient = make_person("ADRUN", sex="U")
    with pytest.raises(InvalidTransition) as caught:
        insi_search_for_patient(actor=agent, patient=patient)
    assert caught.value.code == "TR-01"
    assert calls_of(patient) == []


def test_insi06_referent_accepts_a_proposal_with_a_justification_and_the_ins_is_retrieved(
    extra_first_name_data, agent, referent
):
    patient = _durand(agent).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    decided = insi_decide_proposal(
        actor=referent, proposal=outcome.proposal, accept=True, justification="Acte de naissance : MARIE LOUISE"
    )
    patient.refresh_from_db()
    assert decided.state == InsiProposal.State.ACCEPTED
    assert (patient.status, patient.ins_matricule, patient.first_names) == (
        "RECUP",
        extra_first_name_data,
        "MARIE LOUISE",
    )
    latest = patient.history.latest("history_date")
    assert (latest.history_user, latest.history_reason_code, latest.history_change_reason) == (
        referent,
        reasons.PROPOSAL_ACCEPTED,
        "Acte de naissance : MARIE LOUISE",
    )
    assert decided.history.latest("history_date").history_user == referent


def test_insi06_rejected_proposal_leaves_the_identity_as_it_was(extra_first_name_data, agent, referent):
    patient = _durand(agent).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    before = snapshot(patient)
    decided = insi_decide_proposal(actor=referent, proposal=outcome.proposal, accept=False, justification="Homonyme")
    assert decided.state == InsiProposal.State.REJECTED
    assert snapshot(patient) == before


def test_insi06_a_decision_without_justification_is_refused(extra_first_name_data, agent, referent):
    patient = _durand(agent).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    with pytest.raises(InvalidInput):
        insi_decide_proposal(actor=referent, proposal=outcome.proposal, accept=True, justification="  ")
    outcome.proposal.refresh_from_db()
    assert outcome.proposal.state == InsiProposal.State.PENDING


def test_insi06_a_proposal_is_decided_only_once(extra_first_name_data, agent, referent):
    patient = _durand(agent).patient
    proposal = insi_search_for_patient(actor=agent, patient=patient).proposal
    insi_decide_proposal(actor=referent, proposal=proposal, accept=False, justification="Non")
    with pytest.raises(InvalidTransition):
        insi_decide_proposal(actor=referent, proposal=proposal, accept=True, justification="Finalement oui")


def test_insi06_a_proposal_cannot_be_accepted_after_the_identity_changed(extra_first_name_data, agent, referent):
    patient = _durand(agent).patient
    proposal = insi_search_for_patient(actor=agent, patient=patient).proposal
    patient_update_traits(actor=agent, patient=patient, changes={"used_name": "MARTIN"})
    with pytest.raises(Exception) as caught:
        insi_decide_proposal(actor=referent, proposal=proposal, accept=True, justification="Oui")
    assert caught.value.http_status == 412


def test_st08_identical_ins_records_the_date_of_the_check(make_person, agent):
    patient = make_person("ADRUN")
    insi_search_for_patient(actor=agent, patient=patient)
    patient = check_passport(patient)
    patient.refresh_from_db()
    first_check = patient.ins_verified_at
    outcome = insi_verify_patient(actor=agent, patient=patient)
    patient.refresh_from_db()
    assert outcome.outcome == "VERIFIED"
    assert patient.status == "QUAL"
    assert patient.ins_verified_at > first_check
    assert calls_of(patient)[-1].operation == InsiCall.Operation.VERIFY
    assert patient.history.latest("history_date").history_reason_code == patient_reasons.INS_VERIFIED


def test_st08_a_different_ins_downgrades_i_and_flags_the_identity_for_a_referent(make_person, agent):
    patient = make_person("ADRUN")
    # The registry holds another matricule than the one INSi now returns for these traits.
    patient = check_passport(retrieve_ins(patient, matricule="297022A02077878"))
    outcome = insi_verify_patient(actor=agent, patient=patient)
    patient.refresh_from_db()
    assert outcome.outcome == "CHANGED"
    assert (patient.status, patient.ins_verified, patient.ins_matricule) == ("VALI", False, None)
    assert "ins_matricule" in {d.trait for d in outcome.differences}
    proposal = InsiProposal.objects.get(patient=patient, state="PENDING")
    assert (proposal.kind, proposal.matricule) == (InsiProposal.Kind.VERIFICATION, "275126322074974")
    assert "ST-08" in patient.history.latest("history_date").history_change_reason


def test_st08_verifying_an_identity_without_ins_is_refused(make_person, agent):
    patient = make_person("ADRUN")
    with pytest.raises(InvalidTransition):
        insi_verify_patient(actor=agent, patient=patient)


def test_tr11_carte_vitale_keys_the_query_and_the_ins_is_compared_like_a_traits_search(make_person, agent):
    patient = make_person("ADRUN")
    outcome = insi_search_with_vitale(actor=agent, patient=patient, card=VitaleCard(individual="275126322074974"))
    patient.refresh_from_db()
    assert outcome.outcome == "MATCH"
    assert patient.status == "RECUP"
    [call] = calls_of(patient)
    assert (call.operation, call.sent_birth_name, call.sent_birth_rank) == (
        InsiCall.Operation.SEARCH_VITALE,
        "ADRUN",
        1,
    )


def test_tr11_a_carte_vitale_number_with_a_bad_key_is_refused_before_any_call(make_person, agent):
    patient = make_person("ADRUN")
    with pytest.raises(InvalidInput):
        insi_search_with_vitale(actor=agent, patient=patient, card=VitaleCard(individual="275126322074900"))
    assert calls_of(patient) == []


def test_insi08_02_after_every_narrowing_ends_with_multiple_and_the_insi08_retries(tmp_path, settings, agent):
    import json

    from patients.ins import ins_key

    twins = [
        {
            "traits": {"birth_name": "JUMEAU", "first_names": name, "sex": "M", "birth_date": "2000-01-01"},
            "ins": {"matricule": body + ins_key(body), "oid": "1.2.250.1.213.1.4.8"},
        }
        for name, body in (("LEO", "1000175056001"), ("LEO", "1000175056002"))
    ]
    path = tmp_path / "twins.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": twins}))
    settings.INSI_SIMULATOR_DATA = str(path)
    patient = patient_create(actor=agent, birth_name="JUMEAU", first_name="LEO", sex="M", birth_date=date(2000, 1, 1))
    outcome = insi_search_for_patient(actor=agent, patient=patient.patient)
    assert outcome.outcome == "MULTIPLE"
    assert {r.rule for r in outcome.retries} == {"INSI-08"}
    assert all(c.cr == "02" for c in outcome.calls)


def test_aud01_a_long_justification_is_kept_whole_on_the_proposal(extra_first_name_data, agent, referent):
    patient = _durand(agent).patient
    proposal = insi_search_for_patient(actor=agent, patient=patient).proposal
    justification = "Acte de naissance contrôlé avec l'usagère ; " * 8
    decided = insi_decide_proposal(actor=referent, proposal=proposal, accept=True, justification=justification)
    assert decided.justification == justification.strip()
    assert decided.history.latest("history_date").history_change_reason == justification.strip()
    patient.refresh_from_db()
    assert patient.history.latest("history_date").history_change_reason.startswith("Acte de naissance contrôlé")


def test_st11_an_ins_already_carried_by_another_active_identity_is_refused_and_the_call_stays_logged(
    make_person, agent
):
    # Runs on every database: save_identity looks for the other holder before saving (issue 8, item 22).
    first = make_person("ADRUN")
    insi_search_for_patient(actor=agent, patient=first)
    duplicate = make_person("ADRUN")
    before = snapshot(duplicate)
    with pytest.raises(RuleViolation) as caught:
        insi_search_for_patient(actor=agent, patient=duplicate)
    assert caught.value.code == "ST-11"
    assert snapshot(duplicate) == before
    assert [c.cr for c in calls_of(duplicate)] == ["00"]


def test_st08_failed_verification_history_names_the_user_and_the_reason(make_person, agent):
    patient = check_passport(retrieve_ins(make_person("ADRUN"), matricule="297022A02077878", actor=agent), actor=agent)
    insi_verify_patient(actor=agent, patient=patient)
    latest = patient.history.latest("history_date")
    assert latest.history_user == agent
    assert latest.history_change_reason.startswith("Vérification INSi en échec (ST-08)")
    proposal = InsiProposal.objects.get(patient=patient)
    assert proposal.history.latest("history_date").history_reason_code == reasons.VERIFICATION_FAILED
