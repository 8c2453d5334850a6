"""Issue 14 item 5: a carte Vitale search fills ContexteBAM/COUVERTURE from the card, in the schema's order."""

import pytest
from django.urls import reverse
from lxml import etree

from insi.client import Matricule, TraitsQuery, VitaleQuery
from insi.protocol import SoftwareContext, build_traits_request, build_vitale_request
from patients.roles import AGENT
from tests.insi.helpers import role_user
from tests.insi.test_fix14_tls import PASSPHRASE, pki, soap  # noqa: F401 - fixtures
from tests.insi.tls_helpers import InsiHttpsServer
from tests.patients.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db
NS = {"ctxbam": "urn:siram:bam:ctxbam"}
CONTEXT = SoftwareContext(
    authorisation="LPS-0042", emitter="10B0152872", instance="8d3c7a44-1111-4c1e-9a55-000000000001"
)
# The ContexteBAM 01_02 schema's sequence for COUVERTURE, as approved clients send it.
SCHEMA_ORDER = {
    "COUVERTURE": ["GrandRegime", "Organisme", "CodeCentre", "ASSURE", "BENEFICIAIRE"],
    "ASSURE": ["Id"],
    "Id": ["Num", "Cle"],
    "Nir": ["Num", "Cle"],
    "BENEFICIAIRE": ["Nir", "DateNai", "Rang"],
}
CARD = {"individual": "275126322074974", "holder": "175126322074927", "regime": "01", "fund": "631", "centre": "0012"}


def _children(element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def _assert_schema_order(element) -> None:
    name = etree.QName(element).localname
    if name in SCHEMA_ORDER:
        expected = SCHEMA_ORDER[name]
        present = _children(element)
        assert present == [tag for tag in expected if tag in present], name
        assert set(present) <= set(expected), name
    for child in element:
        _assert_schema_order(child)


def _coverage(body: bytes):
    return etree.fromstring(body).xpath("//ctxbam:ContexteBAM/ctxbam:COUVERTURE", namespaces=NS)[0]


def test_fix14_item5_couverture_follows_the_schema_order():
    query = VitaleQuery(
        individual=Matricule("2751263220749", "74"),
        holder=Matricule("1751263220749", "27"),
        birth_name="ADRUN",
        birth_date="1975-12-31",
        birth_rank=1,
        regime="01",
        fund="631",
        centre="0012",
    )
    coverage = _coverage(build_vitale_request(query, CONTEXT))
    assert _children(coverage) == SCHEMA_ORDER["COUVERTURE"]
    _assert_schema_order(coverage)
    assert coverage.xpath("string(ctxbam:ASSURE/ctxbam:Id/ctxbam:Num)", namespaces=NS) == "1751263220749"
    assert coverage.xpath("string(ctxbam:BENEFICIAIRE/ctxbam:Nir/ctxbam:Cle)", namespaces=NS) == "74"
    assert coverage.xpath("string(ctxbam:BENEFICIAIRE/ctxbam:DateNai)", namespaces=NS) == "1975-12-31"


def test_fix14_item5_a_search_by_traits_sends_couverture_empty():
    coverage = _coverage(build_traits_request(TraitsQuery("ADRUN", "ZOE", "F", "1975-12-31"), CONTEXT))
    assert len(coverage) == 0 and not (coverage.text or "").strip()


def test_fix14_item5_the_api_fills_couverture_from_the_card(soap, pki, make_person):  # noqa: F811
    patient = make_person("ADRUN")
    client = token_client(user_with_role("referent"))
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        soap.INSI_ENDPOINT_URL = server.url
        response = client.post(f"/api/v1/patients/{patient.public_id}/insi/search/", {"vitale": CARD}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "MATCH"
    coverage = _coverage(server.requests[0])
    _assert_schema_order(coverage)
    assert coverage.xpath("string(ctxbam:GrandRegime)", namespaces=NS) == "01"
    assert coverage.xpath("string(ctxbam:ASSURE/ctxbam:Id/ctxbam:Num)", namespaces=NS) == "1751263220749"
    assert coverage.xpath("string(ctxbam:BENEFICIAIRE/ctxbam:Nir/ctxbam:Num)", namespaces=NS) == "2751263220749"
    assert coverage.xpath("string(ctxbam:BENEFICIAIRE/ctxbam:Rang)", namespaces=NS) == "1"


def test_fix14_item5_the_screen_fills_couverture_from_the_card(soap, pki, make_person, client):  # noqa: F811
    patient = make_person("ADRUN")
    client.force_login(role_user("ecran-vitale", AGENT, is_staff=True))
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        soap.INSI_ENDPOINT_URL = server.url
        response = client.post(
            reverse("admin:insi_query", kwargs={"patient_id": patient.pk}),
            {"action": "vitale", "birth_rank": 1, **CARD},
        )
    assert response.status_code == 200
    coverage = _coverage(server.requests[0])
    assert coverage.xpath("string(ctxbam:Organisme)", namespaces=NS) == "631"
    assert coverage.xpath("string(ctxbam:CodeCentre)", namespaces=NS) == "0012"


def test_fix14_item5_a_malformed_card_code_is_a_french_400(make_person):
    patient = make_person("ADRUN")
    client = token_client(user_with_role("referent"))
    response = client.post(
        f"/api/v1/patients/{patient.public_id}/insi/search/", {"vitale": {**CARD, "regime": "1A"}}, format="json"
    )
    assert response.status_code == 400
    assert "grand régime" in response.json()["message"]
