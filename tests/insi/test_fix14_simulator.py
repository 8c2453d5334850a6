"""Issue 14 items 7-10: the served simulator answers as INSi does (faults, headers, test people, first names)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from lxml import etree

from insi.backends.simulator import SimulatorClient
from insi.client import InsiTechnicalError, TraitsQuery
from insi.protocol import NS_SIRAM, NS_SOAP, SoftwareContext, build_traits_request, parse_response

SEVERITIES = {"information", "avertissement", "erreur", "fatale"}
CONTEXT = SoftwareContext(authorisation="TEST", emitter="10B0152872")
NS = {"soap": NS_SOAP, "siram": NS_SIRAM}


def _post(client, query: TraitsQuery):
    body = build_traits_request(query, CONTEXT)
    return client.post("/insi-simulator/", data=body, content_type="application/soap+xml")


def test_fix14_item7_fault_is_http_500_with_soap_prefixed_subcode_and_schema_severity(client):
    response = _post(client, TraitsQuery("VANDERMONDE", "ARIANA", "F", "1995-06-17"))
    assert response.status_code == 500
    root = etree.fromstring(response.content)
    assert root.xpath("soap:Body/soap:Fault/soap:Code/soap:Subcode/soap:Value/text()", namespaces=NS) == [
        "soap:siram_40"
    ]
    error = root.xpath("//siram:Erreur", namespaces=NS)[0]
    assert (error.get("code"), error.get("severite")) == ("insi_102", "fatale")
    assert error.get("severite") in SEVERITIES
    assert root.xpath("soap:Header", namespaces=NS) == []


def test_fix14_item7_sender_fault_is_http_500_too_and_carries_no_invented_code(client):
    response = client.post("/insi-simulator/", data=b"<not-soap/>", content_type="application/soap+xml")
    assert response.status_code == 500
    root = etree.fromstring(response.content)
    assert root.xpath("//soap:Code/soap:Value/text()", namespaces=NS) == ["soap:Sender"]
    assert root.xpath("//siram:Erreur", namespaces=NS) == []


def test_fix14_item7_answers_carry_no_soap_header(client):
    response = _post(client, TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"))
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.xpath("soap:Header", namespaces=NS) == []
    assert parse_response(response.content).identity.ins.matricule == "275126322074974"


@pytest.mark.parametrize(
    ("query", "history"),
    [
        (TraitsQuery("CORSE", "ANTHONY", "M", "1980-03-02"), [("180032B02040123", "", "")]),
        (
            TraitsQuery("HERMAN", "GATIEN", "M", "1981-03-24"),
            [("181036322045660", "", ""), ("281036322045610", "", "")],
        ),
        (
            TraitsQuery("ECETINSI", "PIERRE-ALAIN", "M", "2009-07-14"),
            [("209076322083439", "2019-03-01", "2019-02-28"), ("209066322012355", "", "")],
        ),
    ],
)
def test_fix14_item8_served_answers_carry_the_inshisto_entries_of_insi_md(client, query, history):
    response = _post(client, query)
    identity = parse_response(response.content).identity
    assert [(h.matricule, h.valid_from, h.valid_until) for h in identity.history] == history


def test_fix14_item8_daeion_is_born_on_1987_01_25_and_gets_the_observed_technical_fault():
    with pytest.raises(InsiTechnicalError) as caught:
        SimulatorClient().search_by_traits(TraitsQuery("D'AEION", "COEUR", "M", "1987-01-25"))
    assert caught.value.code == "insi_102"
    assert SimulatorClient().search_by_traits(TraitsQuery("D'AEION", "COEUR", "M", "1987-01-01")).cr == "01"


@pytest.mark.parametrize(
    ("first_name", "cr"),
    [("PIERRE", "01"), ("PIERRE-ALAIN", "00"), ("PIERRE-ALAIN MURIEL", "00"), ("ALAIN", "01"), ("MURIEL", "01")],
)
def test_fix14_item9_first_names_are_words_separated_by_spaces(first_name, cr):
    result = SimulatorClient().search_by_traits(TraitsQuery("ECETINSI", first_name, "M", "2009-07-14"))
    assert result.cr == cr


def test_fix14_item10_refused_characters_get_the_observed_fault_not_an_invented_code(client):
    response = _post(client, TraitsQuery("adrun", "ZOE", "F", "1975-12-31"))
    assert response.status_code == 500
    with pytest.raises(InsiTechnicalError) as caught:
        parse_response(response.content)
    assert (caught.value.code, caught.value.permanent) == ("insi_102", False)


def test_fix14_item7_a_data_file_with_a_severity_outside_the_schema_is_refused(tmp_path, settings):
    person = {
        "traits": {"birth_name": "X", "first_names": "Y", "sex": "M", "birth_date": "2000-01-01"},
        "ins": {"matricule": "100017505600233", "oid": "1.2.250.1.213.1.4.8"},
        "failure": {"type": "fault", "severity": "2"},
    }
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": [person]}))
    with pytest.raises(ImproperlyConfigured):
        SimulatorClient(path)
