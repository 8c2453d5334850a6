"""The SOAP 1.2 envelopes of INSI.md, the fault reading, the system check and the backend loader."""

import pytest
from django.core.checks import run_checks
from lxml import etree

from insi.backends import get_client
from insi.backends.simulator import SimulatorClient
from insi.client import (
    InsiResult,
    InsiTechnicalError,
    Matricule,
    ReturnedIdentity,
    ReturnedIns,
    ReturnedTraits,
    TraitsQuery,
    VitaleQuery,
)
from insi.protocol import (
    ACTION_TRAITS,
    SoftwareContext,
    build_fault,
    build_result_response,
    build_traits_request,
    build_vitale_request,
    parse_response,
)

CONTEXT = SoftwareContext(authorisation="1234-ABCD")
NS = {
    "soap": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "bam": "urn:siram:bam:ctxbam",
    "lps": "urn:siram:lps:ctxlps",
    "rs": "http://www.cnamts.fr/INSiRecSans",
    "rv": "http://www.cnamts.fr/INSiRecVit",
}


def test_traits_request_has_the_headers_and_body_of_insi_md():
    query = TraitsQuery("DE VINCI", "LEONARDO", "M", "2014-02-01", "63220")
    root = etree.fromstring(build_traits_request(query, CONTEXT))
    assert root.xpath("string(soap:Header/wsa:Action)", namespaces=NS) == ACTION_TRAITS
    assert root.xpath("string(soap:Header/wsa:MessageID)", namespaces=NS).startswith("uuid:")
    bam = root.xpath("soap:Header/bam:ContexteBAM", namespaces=NS)[0]
    assert bam.get("Version") == "01_02"
    assert [etree.QName(c).localname for c in bam] == ["Id", "Temps", "Emetteur", "COUVERTURE"]
    lps = root.xpath("soap:Header/lps:ContexteLPS", namespaces=NS)[0]
    assert (lps.get("Nature"), lps.get("Version")) == ("CTXLPS", "01_00")
    idam = lps.xpath("lps:LPS/lps:IDAM", namespaces=NS)[0]
    assert (idam.get("R"), idam.text) == ("4", "1234-ABCD")
    assert lps.xpath("string(lps:LPS/lps:Nom)", namespaces=NS).startswith("urn:lps:")
    body = root.xpath("soap:Body/rs:RECSANSVITALE", namespaces=NS)[0]
    assert [(etree.QName(c).localname, c.text) for c in body] == [
        ("NomNaissance", "DE VINCI"),
        ("Prenom", "LEONARDO"),
        ("Sexe", "M"),
        ("DateNaissance", "2014-02-01"),
        ("LieuNaissance", "63220"),
    ]


def test_tr06_birthplace_left_out_of_the_envelope_when_not_sent():
    root = etree.fromstring(build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), CONTEXT))
    assert not root.xpath("//rs:LieuNaissance", namespaces=NS)


def test_vitale_request_names_one_beneficiary():
    query = VitaleQuery(Matricule("2751263220749", "74"), None, "ADRUN", "1975-12-31", 1)
    root = etree.fromstring(build_vitale_request(query, CONTEXT))
    body = root.xpath("soap:Body/rv:RECVITALE", namespaces=NS)[0]
    assert body.xpath("string(rv:MatriculeIndividu/rv:NumIdentifiant)", namespaces=NS) == "2751263220749"
    assert body.xpath("string(rv:RangNaissance)", namespaces=NS) == "1"


def test_a_single_inshisto_is_read_as_a_list_of_one():
    identity = ReturnedIdentity(
        ReturnedIns("109076322083489", "1.2.250.1.213.1.4.8"),
        ReturnedTraits("ECETINSI", "PIERRE-ALAIN", "PIERRE-ALAIN MURIEL FLORIANT", "M", "2009-07-14", "63220"),
        (ReturnedIns("209076322083439", "1.2.250.1.213.1.4.8"),),
    )
    data = build_result_response(InsiResult("00", "OK", identity))
    parsed = parse_response(data)
    assert parsed.identity == identity
    assert parsed.raw == data


def test_insi02_fault_insi_102_is_a_temporary_technical_error():
    with pytest.raises(InsiTechnicalError) as caught:
        parse_response(build_fault("siram_40", "insi_102", "Service indisponible"))
    assert (caught.value.code, caught.value.permanent) == ("insi_102", False)


def test_insi02_insufficient_access_level_is_permanent():
    with pytest.raises(InsiTechnicalError) as caught:
        parse_response(build_fault("siram_40", "DESIR_560", "Niveau d'accès insuffisant"))
    assert caught.value.permanent is True


@pytest.mark.parametrize(
    "body", [b"", b"<html/>", b"not xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>']
)
def test_insi02_malformed_answers_are_technical_errors(body):
    with pytest.raises(InsiTechnicalError):
        parse_response(body)


def test_insi_client_setting_picks_the_backend(settings):
    settings.INSI_CLIENT = "insi.backends.simulator.SimulatorClient"
    assert isinstance(get_client(), SimulatorClient)


def test_system_check_refuses_the_simulator_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.INSI_SIMULATOR_ALLOWED = False
    settings.INSI_CLIENT = "insi.backends.simulator.SimulatorClient"
    settings.INSI_ENDPOINT_URL = "https://example.test/insi-simulator/"
    ids = {message.id for message in run_checks()}
    assert {"insi.E001", "insi.E002"} <= ids


def test_system_check_accepts_the_simulator_when_explicitly_allowed(settings):
    settings.DEBUG = False
    settings.INSI_SIMULATOR_ALLOWED = True
    ids = {message.id for message in run_checks()}
    assert not ids & {"insi.E001", "insi.E002"}


def test_served_simulator_is_refused_when_not_allowed(client, settings):
    settings.DEBUG = False
    settings.INSI_SIMULATOR_ALLOWED = False
    body = build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), CONTEXT)
    response = client.post("/insi-simulator/", data=body, content_type="application/soap+xml")
    assert response.status_code == 404


def test_simulator_refuses_characters_insi_refuses():
    with pytest.raises(InsiTechnicalError) as caught:
        SimulatorClient().search_by_traits(TraitsQuery("D’ÆION", "CŒUR", "M", "1987-01-25"))
    assert caught.value.code == "insi_102"


def test_headers_come_in_the_order_of_insi_md_with_the_lps_block_complete():
    root = etree.fromstring(build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), CONTEXT))
    header = root.xpath("soap:Header", namespaces=NS)[0]
    assert [etree.QName(c).localname for c in header] == ["Action", "MessageID", "ContexteBAM", "ContexteLPS"]
    lps = header.xpath("lps:ContexteLPS", namespaces=NS)[0]
    assert [etree.QName(c).localname for c in lps] == ["Id", "Temps", "Emetteur", "LPS"]
    software = lps.xpath("lps:LPS", namespaces=NS)[0]
    assert [etree.QName(c).localname for c in software] == ["IDAM", "Version", "Instance", "Nom"]
    assert software.xpath("string(lps:Nom)", namespaces=NS) == "urn:lps:REGISTRE-IDENTITES:1.0"
    # Each message has its own identifiers.
    again = etree.fromstring(build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), CONTEXT))
    assert root.xpath("string(//wsa:MessageID)", namespaces=NS) != again.xpath("string(//wsa:MessageID)", namespaces=NS)


def test_soap_backend_sends_the_configured_authorisation_number(settings):
    from insi.backends.soap import SoapClient

    settings.INSI_SOFTWARE_AUTHORISATION = "LPS-2024-0042"
    client = SoapClient("https://teleservice.example/ICIR-v1", cert="", key="")
    root = etree.fromstring(build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), client.context))
    assert root.xpath("string(//lps:IDAM)", namespaces=NS) == "LPS-2024-0042"
