"""Issue 14 item 11: ``manage.py insi_check`` reports each step in French and names the one that failed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.insi.test_fix14_tls import pki, soap  # noqa: F401 - fixtures
from tests.insi.tls_helpers import Authority, InsiHttpsServer

pytestmark = pytest.mark.django_db


def _run(endpoint: str) -> str:
    out = StringIO()
    call_command("insi_check", "--endpoint", endpoint, stdout=out)
    return out.getvalue()


def test_fix14_item11_against_the_served_simulator_every_step_is_printed(soap_backend, settings):
    output = _run(settings.INSI_ENDPOINT_URL)
    for line in ("TLS : OK", "Authentification : OK", "Réponse : OK — code retour 00", "Durée : OK"):
        assert line in output
    assert "Connexion à INSi vérifiée." in output


def test_fix14_item11_over_real_tls_with_the_pkcs12_certificate_every_step_passes(soap, pki):  # noqa: F811
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server:
        output = _run(server.url)
    assert "TLS : OK — serveur vérifié par INSI_CA_BUNDLE" in output
    assert "CN=INSI-AUTO" in output


def test_fix14_item11_a_server_whose_certificate_is_refused_names_the_tls_step(soap, pki):  # noqa: F811
    stranger = Authority("AC INCONNUE")
    with InsiHttpsServer(pki["tmp"], stranger) as server, pytest.raises(CommandError) as caught:
        _run(server.url)
    assert "Échec à l'étape « TLS »" in str(caught.value)
    assert "non reconnu par INSI_CA_BUNDLE" in str(caught.value)
    assert server.requests == []


def test_fix14_item11_a_server_refusing_the_establishment_certificate_names_the_tls_step(soap, pki):  # noqa: F811
    soap.INSI_CLIENT_CERT = ""
    soap.INSI_EMITTER = "10B0152872"
    with InsiHttpsServer(pki["tmp"], pki["authority"]) as server, pytest.raises(CommandError) as caught:
        _run(server.url)
    assert "Échec à l'étape « TLS »" in str(caught.value)
    assert "refusé le certificat de l'établissement" in str(caught.value)


def test_fix14_item11_without_an_endpoint_the_configuration_step_fails_in_french(settings):
    settings.INSI_ENDPOINT_URL = ""
    with pytest.raises(CommandError) as caught:
        call_command("insi_check", stdout=StringIO())
    assert "Échec à l'étape « Configuration »" in str(caught.value)
