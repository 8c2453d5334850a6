"""Issue 14 item 6: authentication is a strategy; the CPS / Pro Santé Connect one carries its assertion."""

import pytest
from lxml import etree

from insi.backends.auth import NS_WSSE, ProfessionalAssertion
from insi.backends.soap import SoapClient
from insi.client import InsiTechnicalError, TraitsQuery
from insi.protocol import build_traits_request

pytestmark = pytest.mark.django_db
ASSERTION = b'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_test"/>'


def test_fix14_item6_the_cps_strategy_puts_the_professional_assertion_in_wsse_security(settings):
    settings.INSI_EMITTER = ""
    client = SoapClient(
        "https://qualiflps.services-ps.ameli.fr:443/lps",
        authentication=ProfessionalAssertion(assertion=ASSERTION, professional_id="810000000001"),
    )
    envelope = client._secured(
        build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), client.call_context())
    )
    root = etree.fromstring(envelope)
    security = root.find(f"{{http://www.w3.org/2003/05/soap-envelope}}Header/{{{NS_WSSE}}}Security")
    assert security is not None and etree.QName(security[0]).localname == "Assertion"
    assert root.xpath("string(//*[local-name()='ContexteLPS']/*[local-name()='Emetteur'])") == "810000000001"


def test_fix14_item6_without_an_assertion_the_cps_mode_refuses_to_call(settings):
    settings.INSI_CA_BUNDLE = ""
    settings.INSI_EMITTER = "10B0152872"
    client = SoapClient("https://qualiflps.services-ps.ameli.fr:443/lps", authentication=ProfessionalAssertion())
    with pytest.raises(InsiTechnicalError) as caught:
        client.search_by_traits(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"))
    assert (caught.value.code, caught.value.permanent) == ("config", True)
    assert "Pro Santé Connect" in caught.value.detail
