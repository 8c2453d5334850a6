"""Issue 10: a search by name matches the key exactly or as a prefix, ranked by relevance, not by id (TR-05)."""

from datetime import date

import pytest

from patients.models import Patient
from tests.factories import PatientFactory
from tests.patients.api.conftest import on_postgresql

SEARCH = "/api/v1/patients/search/"


@pytest.fixture
def martins(db):
    # Created longer names first: ordered by id, the exact MARTIN would come last.
    longer = [
        PatientFactory(birth_name=name, first_name="LUC", birth_date=date(1980, 1, 1 + n))
        for n, name in enumerate(["MARTINEZ", "MARTINET", "MARTINEAU", "MARTIN-DUPONT"])
    ]
    other_first = PatientFactory(birth_name="MARTIN", first_name="PAUL", birth_date=date(1970, 3, 4))
    exact = PatientFactory(birth_name="Martin", first_name="Jean", birth_date=date(1970, 3, 4))
    return exact, other_first, longer


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_issue10_tr05_the_exact_name_and_first_name_come_before_longer_names(agent_client, martins):
    exact, other_first, longer = martins
    ids = _ids(agent_client.post(SEARCH, {"name": "martin", "first_name": "jean"}, format="json"))
    assert ids == [str(exact.public_id)]
    ids = _ids(agent_client.post(SEARCH, {"name": "martin"}, format="json"))
    assert ids[:2] == [str(exact.public_id), str(other_first.public_id)] or ids[:2] == [
        str(other_first.public_id),
        str(exact.public_id),
    ]
    assert set(ids[2:]) == {str(p.public_id) for p in longer}


def test_issue10_tr05_a_name_is_a_prefix_not_a_fragment(agent_client, martins):
    assert _ids(agent_client.post(SEARCH, {"name": "artin"}, format="json")) == []
    assert len(_ids(agent_client.post(SEARCH, {"name": "mart"}, format="json"))) == 6


def test_issue10_tr05_name_and_birth_date_find_the_exact_one_first(agent_client, martins):
    exact, other_first, _ = martins
    ids = _ids(agent_client.post(SEARCH, {"name": "Mártin", "birth_date": "1970-03-04"}, format="json"))
    assert set(ids) == {str(exact.public_id), str(other_first.public_id)}


def test_issue10_ranked_pages_follow_each_other_without_gap_nor_repeat(agent_client, martins):
    exact, other_first, _ = martins
    seen, url = [], f"{SEARCH}?page_size=2"
    while url:
        page = agent_client.post(url, {"name": "martin"}, format="json").json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
        assert "MART" not in (url or "").upper()  # the cursor carries no trait
    assert len(seen) == len(set(seen)) == 6
    assert set(seen[:2]) == {str(exact.public_id), str(other_first.public_id)}  # the exact name first


@pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL plans")
def test_issue10_name_and_birth_date_use_the_btree_pattern_index(martins):
    from django.db import connection

    from patients.selectors import patient_search

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: show the index fits the query
    for name in ("MARTIN", "MART"):
        plan = patient_search(name=name).explain()
        assert "patient_birthname_prefix_date" in plan, plan
        assert "patient_usedname_prefix_date" in plan, plan
        assert "Seq Scan" not in patient_search(name=name, birth_date=date(1970, 3, 4)).explain()


@pytest.fixture
def names_world(martins):
    """Look-alikes of every rank class: used names, first names exact or later, an inactive one."""
    PatientFactory(birth_name="DURAND", used_name="MARTIN", first_name="JEAN", birth_date=date(1960, 1, 1))
    PatientFactory(birth_name="MARTINS", first_name="JEAN", first_names="JEAN LUC", birth_date=date(1961, 1, 1))
    PatientFactory(birth_name="MARTIN", first_name="LUC", first_names="LUC JEAN", birth_date=date(1962, 1, 1))
    PatientFactory(birth_name="MARTINEZ", used_name="MARTIN", first_name="ANA", birth_date=date(1963, 1, 1))
    inactive = PatientFactory(birth_name="MARTIN", first_name="JEAN", birth_date=date(1964, 1, 1))
    Patient.objects.filter(pk=inactive.pk).update(is_active=False)  # as a merged one is
    PatientFactory(birth_name="MARTYR", first_name="JEAN", birth_date=date(1965, 1, 1))


def _pages(client, body: dict) -> tuple[list[str], list[str]]:
    """Every id page by page with page_size=2, forward; then backward from the last page, in order."""
    forward, url, last = [], f"{SEARCH}?page_size=2", None
    while url:
        last = client.post(url, body, format="json").json()
        forward += [row["id"] for row in last["results"]]
        url = last["next"]
    backward, url = [], last["previous"]
    while url:
        page = client.post(url, body, format="json").json()
        backward = [row["id"] for row in page["results"]] + backward
        url = page["previous"]
    return forward, backward + [row["id"] for row in last["results"]]


@pytest.mark.skipif(not on_postgresql(), reason="the index-only pages are PostgreSQL's")
@pytest.mark.parametrize("body", [{"name": "mart"}, {"name": "martin"}, {"name": "martin", "first_name": "jean"}])
def test_issue10_tr05_pages_read_from_the_indexes_are_the_ranking_of_the_table(agent_client, names_world, body):
    from patients.selectors import patient_ranked, patient_search

    ranked = patient_ranked(patient_search(**body), **body).order_by("search_rank")
    expected = [str(public_id) for public_id in ranked.values_list("public_id", flat=True)]
    assert len(expected) >= 4  # several pages of two
    forward, backward = _pages(agent_client, body)
    assert forward == expected
    assert backward == expected
