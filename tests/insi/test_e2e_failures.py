"""INSI-02 over HTTP: faults, timeouts, malformed and cut answers never leave a half-written identity."""

import json
from datetime import date

import pytest

from identity_registry.exceptions import InsiUnavailable
from insi.client import TECHNICAL_ERROR_MESSAGE
from insi.models import InsiCall
from insi.services import insi_search_for_patient, insi_verify_patient
from patients.ins import ins_key
from patients.services import patient_create
from tests.factories import retrieve_ins
from tests.insi.helpers import calls_of, snapshot

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "2850275056011"
MATRICULE = BODY + ins_key(BODY)


def _person(failure: dict) -> dict:
    return {
        "name": "failing",
        "traits": {"birth_name": "PANNE", "first_names": "LUCIE", "sex": "F", "birth_date": "1985-02-10"},
        "ins": {"matricule": MATRICULE, "oid": "1.2.250.1.213.1.4.8"},
        "failure": failure,
    }


@pytest.fixture
def failing_service(tmp_path, settings, soap_backend):
    def configure(failure: dict):
        path = tmp_path / "failing.json"
        path.write_text(json.dumps({"format": "insi-simulator/1", "people": [_person(failure)]}), encoding="utf-8")
        settings.INSI_SIMULATOR_DATA = str(path)

    return configure


@pytest.fixture
def lucie(agent):
    return patient_create(
        actor=agent, birth_name="PANNE", first_name="LUCIE", sex="F", birth_date=date(1985, 2, 10)
    ).patient


def _search_fails(agent, patient) -> InsiUnavailable:
    with pytest.raises(InsiUnavailable) as caught:
        insi_search_for_patient(actor=agent, patient=patient)
    return caught.value


def test_insi02_response_killed_midway_leaves_the_identity_untouched_and_logs_the_error(failing_service, lucie, agent):
    failing_service({"type": "cut"})
    before = snapshot(lucie)
    error = _search_fails(agent, lucie)
    assert error.message == TECHNICAL_ERROR_MESSAGE
    assert error.http_status == 503
    assert snapshot(lucie) == before
    [call] = calls_of(lucie)
    assert call.outcome == InsiCall.Outcome.ERROR
    assert call.returned_matricule == ""
    assert call.error_code == "malformed"  # half an envelope arrived, then the connection closed


def test_insi02_verification_killed_midway_keeps_the_retrieved_ins_as_it_was(failing_service, lucie, agent, settings):
    retrieved = retrieve_ins(lucie, matricule=MATRICULE)
    failing_service({"type": "cut"})
    before = snapshot(retrieved)
    with pytest.raises(InsiUnavailable):
        insi_verify_patient(actor=agent, patient=retrieved)
    after = snapshot(retrieved)
    assert after == before
    assert after["status"] == "RECUP"


def test_insi02_read_timeout_gives_a_technical_error_and_no_change(failing_service, lucie, agent, settings):
    failing_service({"type": "timeout", "seconds": 1.5})
    settings.INSI_READ_TIMEOUT = 0.3
    before = snapshot(lucie)
    _search_fails(agent, lucie)
    assert snapshot(lucie) == before
    assert calls_of(lucie)[0].error_code == "timeout"


def test_insi02_malformed_body_gives_a_technical_error_and_no_change(failing_service, lucie, agent):
    failing_service({"type": "malformed"})
    before = snapshot(lucie)
    _search_fails(agent, lucie)
    assert snapshot(lucie) == before
    assert calls_of(lucie)[0].error_code == "malformed"


def test_insi02_unknown_software_number_is_a_permanent_fault(failing_service, lucie, agent):
    failing_service({"type": "fault", "subcode": "siram_40", "code": "desir_550", "message": "LPS inconnu"})
    error = _search_fails(agent, lucie)
    assert error.details == {"permanent": True}
    assert calls_of(lucie)[0].error_permanent is True


def test_slow_answer_within_the_read_timeout_still_retrieves_the_ins(failing_service, lucie, agent):
    failing_service({"type": "delay", "seconds": 0.2})
    outcome = insi_search_for_patient(actor=agent, patient=lucie)
    assert outcome.outcome == "MATCH"
    lucie.refresh_from_db()
    assert lucie.ins_matricule == MATRICULE


def test_unreachable_endpoint_is_a_technical_error(settings, lucie, agent):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = "http://127.0.0.1:9/insi-simulator/"
    before = snapshot(lucie)
    _search_fails(agent, lucie)
    assert snapshot(lucie) == before
    assert calls_of(lucie)[0].error_code == "network"
