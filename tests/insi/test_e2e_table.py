"""INSI.md qualification people, end to end: services → SOAP backend → simulator served over HTTP.

One test per row of the table; each checks the end state a user sees on the identity.
"""

import pytest

from identity_registry.exceptions import InsiUnavailable
from insi.client import TECHNICAL_ERROR_MESSAGE
from insi.models import InsiCall
from insi.services import insi_search_for_patient
from patients.ins import OID_NIA, OID_NIR
from patients.models import InsHistoryEntry
from tests.insi.helpers import calls_of, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _search(agent, patient):
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    patient.refresh_from_db()
    return outcome, patient


def _assert_retrieved(patient, matricule, oid=OID_NIR):
    assert patient.status == "RECUP"
    assert patient.ins_verified is True
    assert (patient.ins_matricule, patient.ins_oid) == (matricule, oid)
    assert patient.strict_traits_locked


def test_adrun_zoe_ends_recup_with_the_ins_of_the_table(soap_backend, make_person, agent):
    outcome, patient = _search(agent, make_person("ADRUN"))
    assert outcome.outcome == "MATCH"
    _assert_retrieved(patient, "275126322074974")
    # RNIV INSI-09, TR-06: the returned birthplace fills the unknown local one.
    assert patient.birthplace_cog == "63220"


def test_adrtrois_dominique_ends_recup_and_corsican_cog_2a020_is_accepted(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("ADRTROIS_DOMINIQUE"))
    _assert_retrieved(patient, "297022A02077878")
    assert patient.birthplace_cog == "2A020"


def test_adrtrois_toussaint_ends_recup_and_corsican_cog_2b020_is_accepted(soap_backend, make_person, agent):
    outcome, patient = _search(agent, make_person("ADRTROIS_TOUSSAINT"))
    _assert_retrieved(patient, "160012B02077713")
    assert patient.birthplace_cog == "2B020"
    # RNIV TR-06: the birthplace is not sent on the first call.
    assert [c.sent_birthplace for c in outcome.calls] == [""]


def test_dartagnan_de_l_herault_ends_recup_with_apostrophes_and_composed_first_name(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("DARTAGNAN"))
    _assert_retrieved(patient, "101066322075460")
    assert patient.birth_name == "D'ARTAGNAN DE L'HERAULT"
    assert patient.first_names == "PIERRE-ALAIN MURIEL FLORIANT"


def test_insi09_ecetinsi_ends_recup_keeping_its_earlier_matricule_in_the_ins_history(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("ECETINSI"))
    _assert_retrieved(patient, "109076322083489")
    earlier = InsHistoryEntry.objects.filter(patient=patient).order_by("matricule")
    assert [(e.matricule, e.source) for e in earlier] == [
        ("209066322012355", InsHistoryEntry.Source.INSI_HISTORY),
        ("209076322083439", InsHistoryEntry.Source.INSI_HISTORY),
    ]


def test_provisoire_ends_recup_with_the_nia_oid(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("PROVISOIRE"))
    _assert_retrieved(patient, "109076322088835", OID_NIA)


def test_insi08_de_vinci_ends_recup_after_02_without_birthplace_then_00_with_it(soap_backend, make_person, agent):
    outcome, patient = _search(agent, make_person("DE_VINCI"))
    _assert_retrieved(patient, "114026322012387")
    assert [(c.sent_birthplace, c.cr) for c in outcome.calls] == [("", "02"), ("63220", "00")]


def test_insi03_tchitchi_found_on_second_first_name_is_discordant_and_stays_prov(soap_backend, make_person, agent):
    patient = make_person("TCHITCHI")
    before = snapshot(patient)
    outcome, patient = _search(agent, patient)
    assert [(c.sent_first_name, c.cr) for c in outcome.calls] == [("OLA", "01"), ("CATARINA", "00")]
    assert outcome.outcome == "DISCORDANT"
    assert patient.status == "PROV"
    assert snapshot(patient) == before
    # The outcome shows the INS found and why it was not taken.
    assert outcome.identity.ins.matricule == "236066322083656"
    [difference] = outcome.differences
    assert (difference.trait, difference.local, difference.returned, difference.rule) == (
        "first_name",
        "OLA",
        "CATARINA",
        "INSI-03",
    )
    assert outcome.retries


def test_houilles_stays_prov_after_01_on_every_try_with_suggested_retries(soap_backend, make_person, agent):
    patient = make_person("HOUILLES")
    before = snapshot(patient)
    outcome, patient = _search(agent, patient)
    assert [(c.sent_first_name, c.cr) for c in outcome.calls] == [
        ("PIERRE", "01"),
        ("PAUL", "01"),
        ("JACQUES", "01"),
        ("PIERRE PAUL JACQUES", "01"),
    ]
    assert outcome.outcome == "NOT_FOUND"
    assert snapshot(patient) == before
    assert {"INSI-07", "INSI-11"} <= {retry.rule for retry in outcome.retries}


def test_corse_ends_recup_with_the_corsican_matricule(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("CORSE"))
    _assert_retrieved(patient, "180032B02040123")
    assert patient.birthplace_cog == "2B020"


def test_tr10_hermann_is_refused_for_its_key_and_stays_prov(soap_backend, make_person, agent):
    patient = make_person("HERMAN")
    before = snapshot(patient)
    outcome, patient = _search(agent, patient)
    assert outcome.outcome == "INS_REFUSED"
    assert "TR-10" in {d.rule for d in outcome.differences}
    assert patient.status == "PROV"
    assert patient.ins_matricule is None
    assert snapshot(patient) == before
    assert "TR-10" in calls_of(patient)[-1].rules


def test_nessi_ends_recup_with_the_ins_of_the_table(soap_backend, make_person, agent):
    _, patient = _search(agent, make_person("NESSI"))
    _assert_retrieved(patient, "110086322083060")
    assert patient.first_names == "MICHELANGELO ANTHONY"


def test_insi02_vandermonde_leaves_the_identity_untouched_with_a_logged_technical_error(
    soap_backend, make_person, agent
):
    patient = make_person("VANDERMONDE")
    before = snapshot(patient)
    with pytest.raises(InsiUnavailable) as caught:
        insi_search_for_patient(actor=agent, patient=patient)
    assert caught.value.message == TECHNICAL_ERROR_MESSAGE
    assert snapshot(patient) == before
    [call] = calls_of(patient)
    assert (call.outcome, call.error_code, call.error_permanent) == (InsiCall.Outcome.ERROR, "insi_102", False)
    assert call.actor == agent


def test_tr03_daeion_never_reaches_the_network_as_typed(soap_backend, make_person, agent):
    patient = make_person("DAEION")
    # RNIV TR-03: stored transliterated, and the agent was told at creation.
    assert (patient.birth_name, patient.first_name) == ("D'AEION", "COEUR")
    with pytest.raises(InsiUnavailable):
        insi_search_for_patient(actor=agent, patient=patient)
    [call] = calls_of(patient)
    assert (call.sent_birth_name, call.sent_first_name) == ("D'AEION", "COEUR")
    # The transliterated request reached the simulator and got its insi_102 fault, not a character refusal.
    assert call.error_code == "insi_102"
