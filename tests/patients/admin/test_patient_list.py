"""The patient list: one search box (TR-05), filters, badges, and no unbounded counting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.admin.pagination import BoundedCountPaginator
from patients.services import identity_set_attribute
from tests.factories import PatientFactory, check_passport, qualified_patient, retrieve_ins

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:patients_patient_changelist")
SEARCH_URL = reverse("admin:patients_patient_search")


def search(client, text: str, **filters):
    """Type in the search box and press Enter: the form posts, then the list opens."""
    return client.post(SEARCH_URL, {"q": text, **filters}, follow=True)


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_tr05_search_ignores_accents_hyphens_and_case(agent_client):
    wanted = PatientFactory(birth_name="LEFEVRE-BELANGER", first_name="HELENE")
    PatientFactory(birth_name="MARTIN", first_name="HELENE")

    response = search(agent_client, "lefèvre Bélanger")

    assert response.status_code == 200
    assert listed(response) == [wanted]


def test_tr05_search_ignores_apostrophes_and_finds_used_names(agent_client):
    musketeer = PatientFactory(birth_name="D'ARTAGNAN", first_name="CHARLES")
    married = PatientFactory(birth_name="DUPONT", used_name="LE GALL", first_name="ANNE")

    assert listed(search(agent_client, "Dartagnan")) == [musketeer]
    assert listed(search(agent_client, "legall")) == [married]


def test_tr05_search_by_first_name_and_name_words(agent_client):
    jean_pierre = PatientFactory(birth_name="MARTIN", first_name="JEAN-PIERRE")
    PatientFactory(birth_name="MARTIN", first_name="LOUIS")

    assert listed(search(agent_client, "martin jean pierre")) == [jean_pierre]


def test_tr05_typed_ins_opens_the_identity_directly(agent_client):
    patient = retrieve_ins(PatientFactory(birth_name="NGUYEN"), matricule="275126322074974")
    PatientFactory(birth_name="NGUYEN")

    response = agent_client.post(SEARCH_URL, {"q": "2 75 12 63 220 749 74"})

    assert response.status_code == 302
    assert response.url == reverse("admin:patients_patient_change", args=[patient.pk])


def test_unknown_ins_shows_an_empty_list_not_an_error(agent_client):
    PatientFactory()

    response = search(agent_client, "275126322074974")

    assert response.status_code == 200
    assert listed(response) == []


def test_list_shows_coloured_status_badge_and_both_names(agent_client):
    qualified_patient(birth_name="BERNARD", used_name="DURAND", first_name="MARIE")

    html = search(agent_client, "bernard").content.decode()

    assert '<span class="status-badge status-QUAL">QUAL · Identité qualifiée</span>' in html
    assert "BERNARD" in html
    assert "DURAND" in html


def test_status_filter_keeps_only_that_status(agent_client):
    validated = check_passport(PatientFactory(birth_name="VALIDEE"))
    PatientFactory(birth_name="PROVISOIRE")

    response = agent_client.get(LIST_URL, {"status__exact": "VALI"})

    assert listed(response) == [validated]


def test_attribute_filter_keeps_only_identities_with_that_attribute(referent, agent_client):
    doubtful = PatientFactory(birth_name="DOUTEUSE")
    identity_set_attribute(actor=referent, patient=doubtful, attribute="DOUT", reason="Papiers incohérents")
    plain = PatientFactory(birth_name="SANSATTRIBUT")

    assert [p.pk for p in listed(agent_client.get(LIST_URL, {"attribut": "DOUT"}))] == [doubtful.pk]
    assert listed(agent_client.get(LIST_URL, {"attribut": "aucun"})) == [plain]


def _list_queries(client) -> list[str]:
    # A filtered list (issue 9: no identities are listed before a search or a filter).
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST_URL, {"status__exact": "PROV"})
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_list_query_count_does_not_grow_with_rows(agent_client):
    PatientFactory.create_batch(3)
    few = len(_list_queries(agent_client))
    PatientFactory.create_batch(30)

    assert len(_list_queries(agent_client)) == few


def test_list_never_counts_the_whole_table(agent_client):
    PatientFactory.create_batch(3)

    counts = [sql for sql in _list_queries(agent_client) if "COUNT(" in sql.upper()]

    assert counts, "the list should count its page's rows, bounded"
    assert all("LIMIT" in sql.upper() for sql in counts)


def test_list_past_the_count_cap_asks_to_refine_the_search(agent_client, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "max_count", 5)
    PatientFactory.create_batch(8)

    response = agent_client.get(LIST_URL, {"status__exact": "PROV"})

    assert "Plus de 5 identités : affinez la recherche." in response.content.decode()


def test_typed_names_never_appear_in_a_url(agent_client):
    PatientFactory.create_batch(3, birth_name="LEFEVRE-BELANGER")
    PatientFactory(birth_name="MARTIN")

    response = search(agent_client, "Lefèvre", status__exact="PROV")

    final_url = response.redirect_chain[-1][0]
    assert "recherche=" in final_url
    assert "status__exact=PROV" in final_url
    assert "lef" not in final_url.lower()
    assert len(listed(response)) == 3
    hrefs = re.findall(r'href="([^"]*)"', response.content.decode())
    assert hrefs
    assert not [href for href in hrefs if "lef" in href.lower() or "q=" in href]
    # A sorting link keeps the search through its token.
    sort_link = next(href for href in hrefs if "o=" in href)
    assert len(listed(agent_client.get(LIST_URL + sort_link.replace("&amp;", "&")))) == 3


def test_an_unknown_search_token_shows_no_identities(agent_client):
    PatientFactory.create_batch(2)

    response = agent_client.get(LIST_URL, {"recherche": "inconnu"})
    assert response.status_code == 200
    assert listed(response) == []
