from datetime import date

import pytest

from patients.services import patient_create
from tests.factories import UserFactory

# The local identities of the INSI.md table: the request's traits, with the answer's full first-name list.
TABLE_PEOPLE = {
    "ADRUN": {"birth_name": "ADRUN", "first_name": "ZOE", "sex": "F", "birth_date": date(1975, 12, 31)},
    "ADRTROIS_DOMINIQUE": {
        "birth_name": "ADRTROIS",
        "first_name": "DOMINIQUE",
        "sex": "F",
        "birth_date": date(1997, 2, 26),
    },
    "ADRTROIS_TOUSSAINT": {
        "birth_name": "ADRTROIS",
        "first_name": "TOUSSAINT",
        "sex": "M",
        "birth_date": date(1960, 1, 1),
        "birthplace_cog": "2B020",
    },
    "DARTAGNAN": {
        "birth_name": "D'ARTAGNAN DE L'HERAULT",
        "first_name": "PIERRE-ALAIN",
        "first_names": "PIERRE-ALAIN MURIEL FLORIANT",
        "sex": "M",
        "birth_date": date(2001, 6, 17),
    },
    "ECETINSI": {
        "birth_name": "ECETINSI",
        "first_name": "PIERRE-ALAIN",
        "first_names": "PIERRE-ALAIN MURIEL FLORIANT",
        "sex": "M",
        "birth_date": date(2009, 7, 14),
    },
    "PROVISOIRE": {"birth_name": "PROVISOIRE", "first_name": "MATRICULE", "sex": "M", "birth_date": date(2009, 7, 1)},
    "DE_VINCI": {
        "birth_name": "DE VINCI",
        "first_name": "LEONARDO",
        "sex": "M",
        "birth_date": date(2014, 2, 1),
        "birthplace_cog": "63220",
    },
    "TCHITCHI": {
        "birth_name": "TCHITCHI",
        "first_name": "OLA",
        "first_names": "OLA CATARINA BELLA",
        "sex": "F",
        "birth_date": date(1936, 6, 21),
    },
    "HOUILLES": {
        "birth_name": "HOUILLES",
        "first_name": "PIERRE",
        "first_names": "PIERRE PAUL JACQUES",
        "sex": "M",
        "birth_date": date(1993, 1, 27),
    },
    "CORSE": {"birth_name": "CORSE", "first_name": "ANTHONY", "sex": "M", "birth_date": date(1980, 3, 2)},
    "HERMAN": {"birth_name": "HERMAN", "first_name": "GATIEN", "sex": "M", "birth_date": date(1981, 3, 24)},
    "NESSI": {
        "birth_name": "NESSI",
        "first_name": "MICHELANGELO",
        "first_names": "MICHELANGELO ANTHONY",
        "sex": "M",
        "birth_date": date(2010, 8, 7),
    },
    "VANDERMONDE": {"birth_name": "VANDERMONDE", "first_name": "ARIANA", "sex": "F", "birth_date": date(1995, 6, 17)},
    "DAEION": {"birth_name": "D’ÆION", "first_name": "CŒUR", "sex": "M", "birth_date": date(1987, 1, 25)},
}


@pytest.fixture(autouse=True)
def simulator_allowed(settings):
    settings.INSI_SIMULATOR_ALLOWED = True
    settings.INSI_SIMULATOR_DATA = ""


@pytest.fixture
def agent(db):
    return UserFactory(username="agent-accueil")


@pytest.fixture
def make_person(agent):
    def make(name: str, **overrides):
        return patient_create(actor=agent, **{**TABLE_PEOPLE[name], **overrides}).patient

    return make


@pytest.fixture
def soap_backend(live_server, settings):
    """Route the services through the SOAP backend to the simulator served over HTTP."""
    settings.INSI_CLIENT = "insi.backends.soap.SoapClient"
    settings.INSI_ENDPOINT_URL = f"{live_server.url}/insi-simulator/"
    settings.INSI_READ_TIMEOUT = 2
    settings.INSI_CONNECT_TIMEOUT = 2
    return live_server
