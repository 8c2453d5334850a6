"""Contract of the patients API: payloads, ETags, errors (RNIV TR-03, ST-04, ST-05, ST-07, AUD-01, AUD-03)."""

import pytest

from patients.records import PatientAccess
from tests.factories import check_passport, qualified_patient, retrieve_ins
from tests.patients.api.conftest import NEW_PATIENT, detail_url, if_match

pytestmark = pytest.mark.django_db


def test_tr03_create_returns_provisional_identity_with_transliteration_warning(agent_client):
    response = agent_client.post("/api/v1/patients/", NEW_PATIENT, format="json")
    assert response.status_code == 201
    body = response.json()
    patient = body["patient"]
    assert patient["birth_name"] == "LAETITIA-MULLER"
    assert patient["first_names"] == "ZOE ANNE"
    assert patient["status"] == "PROV"
    assert patient["status_label"] == "Identité provisoire"
    assert patient["version"] == 1
    assert body["warnings"] == ["Le nom de naissance : « æ » a été remplacé par « AE » (règle TR-03)."]
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/api/v1/patients/{patient['id']}/"


def test_tr03_a_name_too_long_once_transliterated_is_a_400_naming_the_field(agent_client):
    response = agent_client.post("/api/v1/patients/", {**NEW_PATIENT, "birth_name": "Œ" * 60}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "100 caractères" in body["details"]["birth_name"][0]


def test_st04_retrieve_says_the_ins_of_a_qualified_identity_is_shareable(agent_client):
    patient = qualified_patient()
    response = agent_client.get(detail_url(patient))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "QUAL"
    assert body["ins"] == {"matricule": "275126322074974", "oid": "1.2.250.1.213.1.4.8", "kind": "INS-NIR"}
    assert body["ins_shareable"] is True
    assert body["strict_traits_locked"] is True
    assert response["ETag"] == f'"{patient.version}"'


def test_st04_retrieved_but_unvalidated_ins_is_not_shareable(agent_client, patient):
    patient = retrieve_ins(patient)
    body = agent_client.get(detail_url(patient)).json()
    assert body["status"] == "RECUP"
    assert body["ins"]["matricule"] == "275126322074974"
    assert body["ins_shareable"] is False


def test_unknown_or_malformed_id_is_a_json_404(agent_client, client_for):
    not_found = {"code": "not_found", "message": "Identité introuvable.", "details": None}
    for url in ("/api/v1/patients/00000000-0000-0000-0000-000000000000/", "/api/v1/patients/not-a-uuid/"):
        response = agent_client.get(url)
        assert (response.status_code, response.json()) == (404, not_found), url
    # The history is the auditor's (AUD-02): for them, an unknown identity is a 404 too, not a 403.
    auditor = client_for("auditor")
    for url in (
        "/api/v1/patients/00000000-0000-0000-0000-000000000000/history/",
        "/api/v1/patients/not-a-uuid/history/",
    ):
        response = auditor.get(url)
        assert (response.status_code, response.json()) == (404, not_found), url


def test_tr05_search_ignores_accents_hyphens_and_case(agent_client, patient):
    response = agent_client.post("/api/v1/patients/search/", {"q": "dartagnan jean pierre"}, format="json")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [str(patient.public_id)]
    response = agent_client.post("/api/v1/patients/search/", {"name": "d’Artagnan", "status": "QUAL"}, format="json")
    assert response.json()["results"] == []


def test_search_by_ins_finds_the_patient_and_logs_the_read(agent_client, patient):
    patient = retrieve_ins(patient)
    response = agent_client.post("/api/v1/patients/search/", {"ins": "2 75 12 63 220 749 74"}, format="json")
    assert [p["id"] for p in response.json()["results"]] == [str(patient.public_id)]
    assert PatientAccess.objects.filter(patient=patient, action="search", user__username="api-agent").count() == 1


def test_search_pages_with_a_cursor_carrying_no_trait(agent_client):
    from tests.factories import PatientFactory

    created = [PatientFactory(birth_name="MARTIN", first_name="LOUIS") for _ in range(5)]
    response = agent_client.post("/api/v1/patients/search/?page_size=2", {"name": "martin"}, format="json")
    seen = [p["id"] for p in response.json()["results"]]
    next_url = response.json()["next"]
    assert "MARTIN" not in next_url.upper()
    while next_url:
        page = agent_client.post(next_url, {"name": "martin"}, format="json").json()
        seen += [p["id"] for p in page["results"]]
        next_url = page["next"]
    assert sorted(seen) == sorted(str(p.public_id) for p in created)


def test_search_without_criteria_or_with_bad_cursor_is_refused(agent_client):
    response = agent_client.post("/api/v1/patients/search/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "Données invalides (q) : Indiquez au moins un critère de recherche."
    response = agent_client.post("/api/v1/patients/search/?cursor=garbage", {"name": "X"}, format="json")
    assert response.status_code == 400
    assert "cursor" in response.json()["details"]


def test_update_without_if_match_is_428_and_stale_if_match_is_412_changing_nothing(agent_client, patient):
    url = detail_url(patient)
    response = agent_client.patch(url, {"used_name": "DUPONT"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    response = agent_client.patch(url, {"used_name": "DUPONT"}, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"]) == (200, '"2"')
    # A client still holding version 1 (stale: older than the stored version 2) changes nothing.
    response = agent_client.patch(url, {"used_name": "MARTIN"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["details"] == {"current_version": 2}
    patient.refresh_from_db()
    assert patient.used_name == "DUPONT"
    assert patient.version == 2


def test_st07_strict_trait_edit_of_validated_identity_withdraws_validation_and_warns(agent_client, patient):
    patient = check_passport(patient)
    response = agent_client.patch(detail_url(patient), {"sex": "M"}, format="json", **if_match(patient))
    assert response.status_code == 200
    body = response.json()
    assert body["patient"]["status"] == "PROV"
    assert body["changed_fields"] == ["sex", "document_checked"]
    assert any("ST-07" in w for w in body["warnings"])
    assert response["ETag"] == f'"{patient.version + 1}"'


def test_st05_strict_trait_of_retrieved_identity_is_locked_with_rule_code(agent_client, patient):
    patient = retrieve_ins(patient)
    response = agent_client.patch(detail_url(patient), {"birth_name": "DUPONT"}, format="json", **if_match(patient))
    assert response.status_code == 409
    assert response.json()["code"] == "ST-05"
    assert response.json()["details"] == {"locked_fields": ["birth_name"]}


def test_tr11_ins_and_status_cannot_be_written_through_update(agent_client, patient):
    body = {"ins_matricule": "275126322074974", "status": "QUAL"}
    response = agent_client.patch(detail_url(patient), body, format="json", **if_match(patient))
    assert response.status_code == 400
    assert set(response.json()["details"]) == {"ins_matricule", "status"}
    assert "ins_matricule" in response.json()["message"]


def test_id02_driving_licence_is_recorded_but_does_not_validate(agent_client, patient):
    body = {"document_type": "PERMIS", "issuing_country": "FR"}
    response = agent_client.post(detail_url(patient, "validate-document/"), body, format="json", **if_match(patient))
    assert response.status_code == 200
    payload = response.json()
    assert payload["document"]["can_validate"] is False
    assert payload["document"]["refusal_reason"]
    assert payload["warnings"] == [payload["document"]["refusal_reason"]]
    assert payload["patient"]["status"] == "PROV"


def test_id01_passport_validates_the_identity(agent_client, patient):
    body = {"document_type": "PA", "issuing_country": "fr", "expires_on": "2001-01-01"}
    response = agent_client.post(detail_url(patient, "validate-document/"), body, format="json", **if_match(patient))
    assert response.status_code == 200
    assert response.json()["patient"]["status"] == "VALI"
    assert response.json()["document"]["can_validate"] is True


def test_st02_attribute_set_and_clear_with_reason_and_st02_conflict(referent_client, patient):
    url = detail_url(patient, "attributes/")
    response = referent_client.post(
        url, {"attribute": "DOUT", "operation": "set", "reason": "Incohérence"}, format="json", **if_match(patient)
    )
    assert response.status_code == 200
    assert response.json()["patient"]["attributes"] == [{"code": "DOUT", "label": "Identité douteuse"}]
    etag = response["ETag"]
    response = referent_client.post(
        url, {"attribute": "FICT", "operation": "set", "reason": "Alias"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 409
    assert response.json()["code"] == "ST-02"
    response = referent_client.post(
        url, {"attribute": "DOUT", "operation": "clear", "reason": "Levée"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.json()["patient"]["attributes"] == []


def test_st06_downgrade_needs_a_reason_and_something_to_withdraw(referent_client, patient):
    url = detail_url(patient, "downgrade/")
    response = referent_client.post(url, {"withdraw_ins": True, "reason": " "}, format="json", **if_match(patient))
    assert response.status_code == 400
    assert "reason" in response.json()["details"]
    response = referent_client.post(
        url, {"withdraw_ins": True, "reason": "Homonyme"}, format="json", **if_match(patient)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "ST-06"


def test_st06_downgrade_of_qualified_identity_unlocks_traits(referent_client):
    patient = qualified_patient()
    body = {"withdraw_ins": True, "withdraw_document": True, "reason": "INS attribuée à un homonyme"}
    response = referent_client.post(detail_url(patient, "downgrade/"), body, format="json", **if_match(patient))
    assert response.status_code == 200
    payload = response.json()["patient"]
    assert payload["status"] == "PROV"
    assert payload["ins"] is None
    assert payload["strict_traits_locked"] is False


def test_aud01_history_shows_who_when_why_and_fields_before_after(referent_client, agent_client, patient):
    agent_client.patch(
        detail_url(patient), {"used_name": "Dupont", "reason": "Mariage"}, format="json", **if_match(patient)
    )
    response = referent_client.get(detail_url(patient, "history/"))
    assert response.status_code == 200
    latest, creation = response.json()
    assert latest["actor"] == "api-agent"
    assert latest["reason_code"] == "TRAITS_UPDATE"
    assert latest["reason"] == "Mariage"
    assert latest["changes"] == [{"field": "used_name", "old": "", "new": "DUPONT"}]
    assert creation["change_type"] == "+"
    assert {"field": "birth_name", "old": None, "new": "D'ARTAGNAN"} in creation["changes"]
    assert response["ETag"] == '"2"'


def test_aud03_every_api_read_of_an_identity_is_logged(agent_client, referent_client, patient):
    agent_client.get(detail_url(patient))
    referent_client.get(detail_url(patient, "history/"))
    rows = PatientAccess.objects.filter(patient=patient).order_by("id")
    assert [(r.user.username, r.action, r.channel) for r in rows] == [
        ("api-agent", "retrieve", "api"),
        ("api-referent", "history", "api"),
    ]


def test_unauthenticated_request_is_401_in_the_error_shape(client, patient):
    response = client.get(detail_url(patient))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}


def test_session_authentication_works_for_the_browsable_api(client, patient):
    from tests.patients.api.conftest import user_with_role

    client.force_login(user_with_role("auditor"))
    response = client.get(detail_url(patient), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"D&#x27;ARTAGNAN" in response.content or b"D'ARTAGNAN" in response.content


def test_browsable_api_renders_every_endpoint_for_a_logged_in_agent(client, patient):
    from tests.patients.api.conftest import user_with_role
    from tests.patients.api.endpoints import ENDPOINTS

    client.force_login(user_with_role("referent"))
    for endpoint in ENDPOINTS:
        url = endpoint.url(patient)
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), url
        assert b"<html" in response.content


def test_aud01_history_includes_documents_checked_even_when_refused(agent_client, referent_client, patient):
    body = {"document_type": "PERMIS", "issuing_country": "FR", "reason": "Seule pièce présentée"}
    agent_client.post(detail_url(patient, "validate-document/"), body, format="json", **if_match(patient))
    entries = referent_client.get(detail_url(patient, "history/")).json()
    assert [e["subject"] for e in entries] == ["document", "identity"]
    document = entries[0]
    assert document["actor"] == "api-agent"
    assert document["reason_code"] == "DOCUMENT_CHECK"
    assert document["reason"] == "Seule pièce présentée"
    changes = {c["field"]: c["new"] for c in document["changes"]}
    assert changes["document_type"] == "PERMIS"
    assert changes["can_validate"] is False  # RNIV ID-02: a driving licence never validates
    assert changes["refusal_reason"]


def test_tr09_update_changes_only_the_traits_sent(agent_client):
    from datetime import date

    from tests.factories import PatientFactory

    # RNIV TR-07: an estimated day is recorded as the 1st of the month.
    patient = PatientFactory(to_regularise=True, birth_day_estimated=True, birth_date=date(1955, 6, 1))
    response = agent_client.patch(detail_url(patient), {"phone": "0102030405"}, format="json", **if_match(patient))
    assert response.json()["changed_fields"] == ["phone"]
    patient.refresh_from_db()
    assert (patient.to_regularise, patient.birth_day_estimated, patient.phone) == (True, True, "0102030405")


def test_aud01_history_of_a_document_with_a_scan_names_the_file_instead_of_failing(
    referent_client, patient, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from patients.services import identity_validate_document
    from tests.patients.scan_samples import upload

    scan = upload("pdf")
    identity_validate_document(
        actor=patient.history.first().history_user, patient=patient, document_type="PA", issuing_country="FR", scan=scan
    )
    response = referent_client.get(detail_url(patient, "history/"))
    assert response.status_code == 200
    document = next(e for e in response.json() if e["subject"] == "document")
    scan_change = next(c for c in document["changes"] if c["field"] == "scan")
    assert scan_change["new"].startswith("id-scans/") and scan_change["new"].endswith(".pdf")


def test_search_with_a_malformed_ins_is_a_400_naming_the_field(agent_client):
    response = agent_client.post("/api/v1/patients/search/", {"ins": "12345"}, format="json")
    assert response.status_code == 400
    assert "ins" in response.json()["details"]
