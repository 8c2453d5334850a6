"""Issue 14 items 1-3: system checks refuse a SOAP backend without its bundle and flag a doubtful certificate."""

import pytest
from django.core.checks import run_checks

from tests.insi.tls_helpers import Authority, write_pkcs12

PASSPHRASE = "another-test-passphrase"


@pytest.fixture
def soap(settings, tmp_path):
    authority = Authority("AC TEST")
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = "https://qualiflps-services-ps-tlsm.ameli.fr:443/lps"
    settings.INSI_SOFTWARE_AUTHORISATION = "LPS-0042"
    settings.INSI_CA_BUNDLE = authority.write_bundle(tmp_path / "bundle.pem")
    settings.INSI_CLIENT_CERT_PASSWORD = PASSPHRASE
    settings.INSI_CLIENT_KEY = ""
    settings.INSI_EMITTER = ""

    def certificate(cn: str, *, ou: str = "10B0152872", days: int = 365) -> None:
        key, cert = authority.issue(cn, ou=ou, days=days)
        settings.INSI_CLIENT_CERT = write_pkcs12(tmp_path / f"{cn}-{days}.p12", key, cert, PASSPHRASE)

    certificate("INSI-AUTO")
    settings.certificate = certificate
    return settings


def _ids() -> set[str]:
    return {message.id for message in run_checks() if message.id.startswith("insi.")}


def test_fix14_item1_a_good_configuration_raises_nothing(soap):
    assert _ids() == set()


def test_fix14_item1_the_soap_backend_is_refused_without_a_ca_bundle(soap):
    soap.INSI_CA_BUNDLE = ""
    assert "insi.E004" in _ids()


def test_fix14_item2_a_cn_other_than_insi_auto_or_manu_is_flagged(soap):
    soap.certificate("ETABLISSEMENT-X")
    assert "insi.W002" in _ids()


def test_fix14_item2_a_certificate_expiring_within_30_days_is_flagged(soap):
    soap.certificate("INSI-AUTO", days=20)
    assert "insi.W003" in _ids()


def test_fix14_item2_a_wrong_passphrase_is_an_error_that_does_not_show_it(soap):
    soap.INSI_CLIENT_CERT_PASSWORD = "wrong-passphrase"
    messages = [m for m in run_checks() if m.id == "insi.E005"]
    assert messages and "wrong-passphrase" not in messages[0].msg


def test_fix14_item3_an_empty_emetteur_is_an_error(soap):
    soap.certificate("INSI-AUTO", ou="")
    assert "insi.E006" in _ids()
