"""API of issue 9: the IPP, identifiers of other systems, merge/unmerge (AUD-05) and the events feed."""

import pytest

from patients.links import IdentifierAuthority
from patients.models import Patient
from tests.factories import PatientFactory, retrieve_ins
from tests.patients.api.conftest import detail_url, if_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def ght(db):
    return IdentifierAuthority.objects.create(code="GHT-NORD", label="CH Nord (GHT)", oid="1.2.250.1.999")


def test_ipp_is_returned_and_an_exact_ipp_finds_the_identity(agent_client, patient):
    body = agent_client.get(detail_url(patient)).json()
    assert body["ipp"] == patient.ipp
    found = agent_client.post("/api/v1/patients/search/", {"ipp": patient.ipp}, format="json").json()
    assert [p["id"] for p in found["results"]] == [str(patient.public_id)]
    quick = agent_client.post("/api/v1/patients/search/", {"q": patient.ipp}, format="json").json()
    assert [p["id"] for p in quick["results"]] == [str(patient.public_id)]


def test_ipp_search_with_a_wrong_key_is_a_400(agent_client, patient):
    wrong = patient.ipp[:-1] + str((int(patient.ipp[-1]) + 1) % 10)
    response = agent_client.post("/api/v1/patients/search/", {"ipp": wrong}, format="json")
    assert response.status_code == 400
    assert "ipp" in response.json()["details"]


def test_identifier_add_list_search_and_remove(agent_client, patient, ght):
    added = agent_client.post(
        detail_url(patient, "identifiers/"),
        {"authority": "GHT-NORD", "value": "77 001"},
        format="json",
        **if_match(patient),
    )
    assert added.status_code == 201, added.json()
    identifier = added.json()["identifier"]
    assert (identifier["authority"], identifier["value"]) == ("GHT-NORD", "77001")
    assert agent_client.get(detail_url(patient, "identifiers/")).json() == [identifier]
    found = agent_client.post(
        "/api/v1/patients/search/", {"identifier": "77001", "authority": "GHT-NORD"}, format="json"
    ).json()
    assert [p["id"] for p in found["results"]] == [str(patient.public_id)]
    patient.refresh_from_db()
    removed = agent_client.post(
        detail_url(patient, f"identifiers/{identifier['id']}/remove/"),
        {"reason": "erreur"},
        format="json",
        **if_match(patient),
    )
    assert removed.status_code == 200
    assert removed.json()["identifiers"] == []


def test_identifier_on_a_second_active_identity_is_a_409_in_french(agent_client, patient, ght):
    other = PatientFactory()
    agent_client.post(
        detail_url(patient, "identifiers/"),
        {"authority": "GHT-NORD", "value": "X1"},
        format="json",
        **if_match(patient),
    )
    refused = agent_client.post(
        detail_url(other, "identifiers/"), {"authority": "GHT-NORD", "value": "x1"}, format="json", **if_match(other)
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "IDENTIFIER_TAKEN"
    assert "déjà porté par une autre identité active" in refused.json()["message"]


def test_aud05_merge_and_unmerge_through_the_api_and_the_old_ids_resolve(referent_client, ght):
    survivor, duplicate = PatientFactory(), PatientFactory()
    merged = referent_client.post(
        detail_url(survivor, "merge/"),
        {"merged": str(duplicate.public_id), "reason": "doublon avéré"},
        format="json",
        **if_match(survivor),
    )
    assert merged.status_code == 200, merged.json()
    assert merged.json()["merged"]["merged_into"] == {"id": str(survivor.public_id), "ipp": survivor.ipp}
    # The merged UUID answers a redirect to the survivor; the merged IPP finds the survivor.
    old = referent_client.get(detail_url(duplicate))
    assert old.status_code == 308
    assert old["Location"].endswith(f"/api/v1/patients/{survivor.public_id}/")
    by_ipp = referent_client.post("/api/v1/patients/search/", {"ipp": duplicate.ipp}, format="json").json()
    assert [p["id"] for p in by_ipp["results"]] == [str(survivor.public_id)]
    # A write on the merged record is refused.
    duplicate.refresh_from_db()
    edit = referent_client.patch(detail_url(duplicate), {"used_name": "X"}, format="json", **if_match(duplicate))
    assert (edit.status_code, edit.json()["code"]) == (409, "AUD-05")

    undone = referent_client.post(detail_url(duplicate, "unmerge/"), {"reason": "erreur"}, format="json")
    assert undone.status_code == 200, undone.json()
    assert referent_client.get(detail_url(duplicate)).status_code == 200


def test_aud05_merge_is_refused_to_an_agent(agent_client):
    survivor, duplicate = PatientFactory(), PatientFactory()
    response = agent_client.post(
        detail_url(survivor, "merge/"),
        {"merged": str(duplicate.public_id), "reason": "doublon"},
        format="json",
        **if_match(survivor),
    )
    assert response.status_code == 403


def test_st11_merge_of_two_different_ins_is_a_409_with_the_reason(referent_client):
    survivor = retrieve_ins(PatientFactory())
    duplicate = retrieve_ins(PatientFactory(), matricule="269029934173285")
    response = referent_client.post(
        detail_url(survivor, "merge/"),
        {"merged": str(duplicate.public_id), "reason": "doublon"},
        format="json",
        **if_match(survivor),
    )
    assert (response.status_code, response.json()["code"]) == (409, "ST-11")
    assert Patient.objects.get(pk=duplicate.pk).is_active


def test_events_feed_lists_changes_without_traits_and_pages_by_cursor(client_for, agent_client, patient):
    dpi = client_for("dpi")
    agent_client.patch(detail_url(patient), {"used_name": "DURAND"}, format="json", **if_match(patient))
    first = dpi.get("/api/v1/events/?after=0&limit=1").json()
    assert len(first["events"]) == 1
    rest = dpi.get(f"/api/v1/events/?after={first['next_cursor']}").json()
    events = first["events"] + rest["events"]
    mine = [e for e in events if e["patient"]["id"] == str(patient.public_id)]
    assert [e["kinds"] for e in mine] == [["created"], ["traits"]]
    assert mine[0]["patient"]["ipp"] == patient.ipp
    assert "DURAND" not in str(events) and "ARTAGNAN" not in str(events)
    again = dpi.get(f"/api/v1/events/?after={rest['next_cursor']}").json()
    assert again == {"events": [], "next_cursor": rest["next_cursor"]}


@pytest.mark.parametrize(("after", "status_code"), [("-1", 400), ("abc", 400), ("9" * 40, 200), ("", 400)])
def test_events_a_bad_cursor_is_a_400_and_a_huge_one_reads_nothing(client_for, after, status_code):
    response = client_for("dpi").get(f"/api/v1/events/?after={after}")
    assert response.status_code == status_code
    if status_code == 200:
        assert response.json()["events"] == []


def test_events_feed_is_refused_to_a_desk_agent(agent_client):
    assert agent_client.get("/api/v1/events/").status_code == 403
