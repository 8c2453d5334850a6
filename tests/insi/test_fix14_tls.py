"""Issue 14 items 1-4 over real TLS: the CA bundle, the PKCS#12 certificate, Emetteur and the LPS block."""

import logging
import uuid

import pytest
from lxml import etree

from insi.backends.soap import SoapClient
from insi.client import InsiTechnicalError, TraitsQuery
from insi.models import InsiInstallation
from tests.insi.tls_helpers import Authority, InsiHttpsServer, write_pem, write_pkcs12

pytestmark = pytest.mark.django_db
ADRUN = TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31")
PASSPHRASE = "s3cret-passphrase-for-tests"
NS = {"ctxbam": "urn:siram:bam:ctxbam", "ctxlps": "urn:siram:lps:ctxlps"}


@pytest.fixture
def pki(tmp_path):
    authority = Authority("AC TEST IGC-SANTE")
    key, cert = authority.issue("INSI-AUTO", ou="10B0152872")
    return {
        "authority": authority,
        "bundle": authority.write_bundle(tmp_path / "bundle.pem"),
        "p12": write_pkcs12(tmp_path / "etablissement.p12", key, cert, PASSPHRASE),
        "tmp": tmp_path,
    }


@pytest.fixture
def soap(settings, pki):
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_CA_BUNDLE = pki["bundle"]
    settings.INSI_CLIENT_CERT = pki["p12"]
    settings.INSI_CLIENT_KEY = ""
    settings.INSI_CLIENT_CERT_PASSWORD = PASSPHRASE
    settings.INSI_EMITTER = ""
    settings.INSI_SOFTWARE_NAME = "REGISTRE-TEST"
    settings.INSI_SOFTWARE_VERSION = "2.3"
    settings.INSI_SOFTWARE_AUTHORISATION = "LPS-0042"
    return settings


def test_fix14_item1_item2_call_works_with_the_bundle_and_the_pkcs12_certificate(soap, pki):
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        result = SoapClient(server.url).search_by_traits(ADRUN)
    assert result.identity.ins.matricule == "275126322074974"
    # The server saw the establishment certificate from the PKCS#12 file.
    assert "INSI-AUTO" in server.client_subjects[0]


def test_fix14_item1_without_the_bundle_the_call_fails_naming_tls(soap, pki):
    soap.INSI_CA_BUNDLE = ""
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server, pytest.raises(InsiTechnicalError) as caught:
        SoapClient(server.url).search_by_traits(ADRUN)
    assert caught.value.code == "tls"
    assert "TLS" in caught.value.detail and "INSI_CA_BUNDLE" in caught.value.detail
    assert server.requests == []


def test_fix14_item1_the_system_store_is_not_trusted_a_bundle_without_the_ca_fails(soap, pki):
    soap.INSI_CA_BUNDLE = Authority("AUTRE AC").write_bundle(pki["tmp"] / "other.pem")
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server, pytest.raises(InsiTechnicalError) as caught:
        SoapClient(server.url).search_by_traits(ADRUN)
    assert caught.value.code == "tls"
    assert "server certificate not trusted" in caught.value.detail
    assert server.requests == []


def test_fix14_item2_a_wrong_passphrase_fails_without_revealing_it(soap, pki, caplog):
    soap.INSI_CLIENT_CERT_PASSWORD = "not-the-passphrase"
    caplog.set_level(logging.DEBUG)
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server, pytest.raises(InsiTechnicalError) as caught:
        SoapClient(server.url).search_by_traits(ADRUN)
    assert caught.value.code == "tls"
    assert "not-the-passphrase" not in caught.value.detail and PASSPHRASE not in caplog.text
    assert "not-the-passphrase" not in caplog.text


def test_fix14_item2_pem_certificate_and_key_work_too(soap, pki):
    key, cert = pki["authority"].issue("INSI-MANU", ou="10B0152872")
    soap.INSI_CLIENT_CERT, soap.INSI_CLIENT_KEY = write_pem(pki["tmp"], key, cert)
    soap.INSI_CLIENT_CERT_PASSWORD = ""
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        assert SoapClient(server.url).search_by_traits(ADRUN).found
    assert "INSI-MANU" in server.client_subjects[0]


def test_fix14_item3_item4_emetteur_from_the_ou_in_both_headers_and_a_stable_instance(soap, pki):
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        SoapClient(server.url).search_by_traits(ADRUN)
        SoapClient(server.url).search_by_traits(ADRUN)
    first, second = (etree.fromstring(body) for body in server.requests)
    assert first.xpath("string(//ctxbam:ContexteBAM/ctxbam:Emetteur)", namespaces=NS) == "10B0152872"
    assert first.xpath("string(//ctxlps:ContexteLPS/ctxlps:Emetteur)", namespaces=NS) == "10B0152872"
    lps = first.xpath("//ctxlps:LPS", namespaces=NS)[0]
    assert lps.xpath("string(ctxlps:IDAM)", namespaces=NS) == "LPS-0042"
    assert lps.xpath("string(ctxlps:Version)", namespaces=NS) == "2.3"
    assert lps.xpath("string(ctxlps:Nom)", namespaces=NS) == "urn:lps:REGISTRE-TEST:2.3"
    instance = lps.xpath("string(ctxlps:Instance)", namespaces=NS)
    assert instance == str(InsiInstallation.objects.get().instance)
    assert uuid.UUID(instance)
    assert second.xpath("string(//ctxlps:Instance)", namespaces=NS) == instance


def test_fix14_item3_the_emetteur_setting_wins_over_the_ou(soap, pki):
    soap.INSI_EMITTER = "75A0000001"
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        SoapClient(server.url).search_by_traits(ADRUN)
    root = etree.fromstring(server.requests[0])
    assert root.xpath("//ctxbam:Emetteur/text() | //ctxlps:Emetteur/text()", namespaces=NS) == ["75A0000001"] * 2


def test_fix14_item3_no_emetteur_anywhere_means_no_call(soap, pki):
    key, cert = pki["authority"].issue("INSI-AUTO")  # no OU
    soap.INSI_CLIENT_CERT = write_pkcs12(pki["tmp"] / "sans-ou.p12", key, cert, PASSPHRASE)
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server, pytest.raises(InsiTechnicalError) as caught:
        SoapClient(server.url).search_by_traits(ADRUN)
    assert (caught.value.code, caught.value.permanent) == ("config", True)
    assert server.requests == []
