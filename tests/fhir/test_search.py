"""GET /fhir/Patient?… and POST /fhir/Patient/_search as IHE PDQm asks (issue 13)."""

import logging
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from patients.records import PatientAccess
from patients.services import identifier_add, patient_merge
from tests.factories import PatientFactory, UserFactory, qualified_patient, retrieve_ins
from tests.fhir.conftest import fhir_get, r4
from tests.patients.merge_world import authority, referent_user

pytestmark = pytest.mark.django_db
NIR = "urn:oid:1.2.250.1.213.1.4.8"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    return [entry["resource"]["id"] for entry in body.get("entry", [])]


def search(client, query: str):
    return fhir_get(client, f"/fhir/Patient?{query}")


def links(response) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in response.json()["link"]}


@pytest.fixture
def world(db):
    return {
        "dartagnan": PatientFactory(
            birth_name="D'ARTAGNAN", first_name="JEAN-PIERRE", first_names="JEAN-PIERRE LOUIS", sex="M",
            birth_date=date(1985, 3, 14), used_name="MARTIN",
        ),
        "dupont": PatientFactory(birth_name="DUPONT", first_name="ÉLODIE", sex="F", birth_date=date(1990, 7, 2)),
        "dupond": PatientFactory(birth_name="DUPOND", first_name="MARC", sex="M", birth_date=date(1990, 7, 30)),
    }  # fmt: skip


def pid(patient) -> str:
    return str(patient.public_id)


def test_family_matches_the_start_of_the_birth_or_used_name_ignoring_case_accents_and_apostrophes(dpi, world):
    assert ids(search(dpi, "family=dartag")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "family=d%27Artagnan")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "family=martin")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "family=dupon")) == [pid(world["dupont"]), pid(world["dupond"])]


def test_family_exact_compares_the_stored_name_as_it_is(dpi, world):
    assert ids(search(dpi, "family:exact=D%27ARTAGNAN")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "family:exact=dartagnan")) == []
    assert ids(search(dpi, "family:exact=D%27ART")) == []


def test_given_matches_the_start_of_a_first_name_and_exact_the_stored_one(dpi, world):
    assert ids(search(dpi, "given=elo")) == [pid(world["dupont"])]
    assert ids(search(dpi, "given=jean-pierre")) == [pid(world["dartagnan"])]
    # Stored as TR-03 normalises it: upper case, without the accent.
    assert ids(search(dpi, "given:exact=ELODIE")) == [pid(world["dupont"])]
    assert ids(search(dpi, "given:exact=Elodie")) == []


def test_birthdate_exact_partial_and_prefixed(dpi, world):
    assert ids(search(dpi, "birthdate=1985-03-14")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "birthdate=1990-07")) == [pid(world["dupont"]), pid(world["dupond"])]
    assert ids(search(dpi, "birthdate=lt1990-07-02")) == [pid(world["dartagnan"])]
    assert ids(search(dpi, "birthdate=ge1990-07-03")) == [pid(world["dupond"])]
    assert ids(search(dpi, "birthdate=ne1990")) == [pid(world["dartagnan"])]


def test_gender_and_repeated_parameters_are_anded_commas_ored(dpi, world):
    assert ids(search(dpi, "family=dupon&gender=male")) == [pid(world["dupond"])]
    assert ids(search(dpi, "family=dupond,dartagnan")) == [pid(world["dartagnan"]), pid(world["dupond"])]
    assert ids(search(dpi, "gender=unknown")) == []


def test_id_finds_the_identity_and_a_malformed_id_finds_nobody(dpi, world):
    assert ids(search(dpi, f"_id={pid(world['dupont'])}")) == [pid(world["dupont"])]
    assert ids(search(dpi, "_id=nope")) == []


def test_identifier_ins_finds_a_qual_identity(dpi):
    patient = qualified_patient(birth_name="DUPONT", first_name="MARIE")
    assert ids(search(dpi, f"identifier={NIR}|275126322074974")) == [pid(patient)]
    assert ids(search(dpi, "identifier=275126322074974")) == [pid(patient)]
    assert ids(search(dpi, "identifier=urn:oid:1.2.250.1.213.1.4.10|275126322074974")) == []


def test_st04_identifier_ins_never_finds_an_identity_that_is_not_qual(dpi):
    retrieve_ins(PatientFactory(birth_name="DUPONT", first_name="MARIE"))  # RECUP
    assert ids(search(dpi, f"identifier={NIR}|275126322074974")) == []


def test_identifier_ipp_system_finds_the_identity_and_a_merged_ipp_its_survivor(dpi, world, settings):
    system = settings.FHIR_IPP_SYSTEM
    dupont, dupond = world["dupont"], world["dupond"]
    assert ids(search(dpi, f"identifier={system}|{dupont.ipp}")) == [pid(dupont)]
    patient_merge(actor=referent_user(), survivor=dupont, merged=dupond, reason="doublon")
    assert ids(search(dpi, f"identifier={system}|{dupond.ipp}")) == [pid(dupont)]
    assert ids(search(dpi, "family=dupond")) == []  # the merged identity is no longer active


def test_identifier_of_another_system_by_its_authority_oid(dpi, world):
    ght = authority()
    ght.oid = "1.2.250.1.999.7"
    ght.save()
    identifier_add(actor=UserFactory(username="a"), patient=world["dupont"], authority="GHT-NORD", value="77001")
    assert ids(search(dpi, "identifier=urn:oid:1.2.250.1.999.7|77001")) == [pid(world["dupont"])]
    assert ids(search(dpi, "identifier=urn:oid:1.2.250.1.999.8|77001")) == []


def test_pages_have_self_next_and_previous_links_with_count(dpi, world):
    first = search(dpi, "birthdate=ge1900&_count=2")
    assert first.json()["total"] == 3
    assert len(ids(first)) == 2
    assert set(links(first)) == {"self", "next"}
    second = fhir_get(dpi, urlsplit(links(first)["next"]).path + "?" + urlsplit(links(first)["next"]).query)
    assert len(ids(second)) == 1
    assert set(links(second)) == {"self", "previous"}
    assert ids(first) + ids(second) == [pid(world["dartagnan"]), pid(world["dupont"]), pid(world["dupond"])]
    assert dict(parse_qsl(urlsplit(links(second)["previous"]).query)) == {
        "birthdate": "ge1900", "_count": "2", "_offset": "0"
    }  # fmt: skip


def test_aud03_each_identity_of_a_result_page_is_logged_as_a_search_read(dpi, world):
    search(dpi, "family=dupon")
    logged = PatientAccess.objects.filter(action="search", channel="api")
    assert sorted(logged.values_list("patient_id", flat=True)) == sorted([world["dupont"].pk, world["dupond"].pk])


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("name=dupont", "name"),
        ("family:contains=dup", "family:contains"),
        ("birthdate=sa1990", "birthdate"),
        ("birthdate=14/03/1985", "birthdate"),
        ("birthdate=1990-02-30", "birthdate"),
        ("family=dupont&_count=1000", "_count"),
        ("family=dupont&_offset=-1", "_offset"),
        ("format=xml&family=x", "format"),
        ("", "_"),
    ],
)
def test_bad_parameters_are_a_400_operation_outcome_naming_them(dpi, world, query, param):
    response = search(dpi, query)
    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert [param] in [issue.get("expression") for issue in body["issue"]]
    assert not PatientAccess.objects.exists()


def test_post_search_takes_the_criteria_from_a_form_body_and_keeps_them_out_of_the_links(dpi, world):
    response = dpi.post("/fhir/Patient/_search?_count=1", data="family=dupon&gender=female",
                        content_type="application/x-www-form-urlencoded")  # fmt: skip
    r4(response.json())
    assert ids(response) == [pid(world["dupont"])]
    for url in links(response).values():
        assert "dupon" not in url.lower() and "female" not in url
        assert urlsplit(url).path == "/fhir/Patient/_search"


def test_post_search_with_no_body_takes_the_criteria_from_the_query_string(dpi, world):
    response = dpi.generic("POST", f"/fhir/Patient/_search?_id={pid(world['dupont'])}")
    assert ids(response) == [pid(world["dupont"])]
    assert dpi.generic("POST", "/fhir/Patient/_search").status_code == 400


def test_post_search_refuses_a_json_body_with_a_415(dpi, world):
    response = dpi.post("/fhir/Patient/_search", data={"family": "dupont"}, format="json")
    assert response.status_code == 415
    assert response.json()["issue"][0]["code"] == "not-supported"


def test_the_query_string_is_never_logged(dpi, world, caplog):
    with caplog.at_level(logging.DEBUG):
        search(dpi, "family=dartagnan&given=jean")
        search(dpi, "family=dartagnan&unknown=jean")  # a 400, logged by Django with its path only
    assert caplog.records
    assert not [r for r in caplog.records if "dartagnan" in r.getMessage().lower() or "jean" in r.getMessage()]


def test_gunicorn_access_log_format_leaves_the_query_string_out():
    import runpy
    from pathlib import Path

    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert "%(U)s" in config["access_log_format"]
    for token in ("%(q)s", "%(r)s"):  # the query string, the whole request line
        assert token not in config["access_log_format"]
