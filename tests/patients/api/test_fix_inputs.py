"""Issue 8 items 5, 7, 8 on the patients and INSi APIs: bounded text and dates, strict keys, no bidi, cursors."""

import pytest
from django.apps import apps
from django.db import models

from identity_registry.api.serializers import StrictInput
from insi.forms import DecisionForm
from insi.models import InsiCall, InsiProposal
from patients.admin.forms import DowngradeForm
from patients.models import Patient
from tests.factories import PatientFactory, check_passport
from tests.identity_registry.contract import load_schema
from tests.patients.api.conftest import detail_url, if_match, requires_postgresql

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/patients/search/"
ONE_MB = "x" * 1_000_000
RLO = "\u202e"


def _unchanged(patient: Patient) -> tuple:
    fresh = Patient.objects.get(pk=patient.pk)
    return fresh.version, fresh.history.count(), fresh.phone, fresh.address


def _refused(response, field: str) -> str:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"code", "message", "details"} and field in body["details"], body
    return body["details"][field][0]


# Item 5: free text has a documented maximum, in the serializer, the form and the database.


def test_fix05_no_model_of_the_registry_stores_unbounded_free_text():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in ("patients", "insi", "consent")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        # A TextField has no length in the database; the history's copy of a file path is one, bounded by its path.
        if (isinstance(field, models.TextField) and field.name != "scan")
        or (isinstance(field, models.CharField) and not field.max_length)
    ]
    assert unbounded == []


def test_fix05_a_1mb_address_is_refused_in_french_and_nothing_is_stored(agent_client):
    patient = PatientFactory()
    before = _unchanged(patient)
    response = agent_client.patch(detail_url(patient), {"address": ONE_MB}, format="json", **if_match(patient))
    assert "caractères" in _refused(response, "address")
    assert _unchanged(patient) == before


def test_fix05_the_screens_refuse_a_1mb_reason():
    patient = check_passport(PatientFactory())
    form = DowngradeForm(
        data={"withdraw_document": "on", "reason": ONE_MB, "read_version": patient.version}, patient=patient
    )
    assert not form.is_valid() and "reason" in form.errors
    decision = DecisionForm(data={"decision": "accept", "justification": ONE_MB})
    assert not decision.is_valid() and "justification" in decision.errors


# Item 7: every input refuses unknown keys; dates are bounded.


def test_fix07_every_request_body_of_the_api_refuses_unknown_keys():
    schema = load_schema()
    components = schema["components"]["schemas"]
    lax = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            for media in content.values():
                ref = media["schema"].get("$ref", "")
                component = components.get(ref.rsplit("/", 1)[-1], {})
                if ref and component.get("additionalProperties") is not False:
                    lax.append(f"{method.upper()} {path}: {ref}")
    assert lax == []


def test_fix07_every_nested_input_serializer_is_strict_too():
    from insi.api.serializers import SearchInputSerializer

    assert isinstance(SearchInputSerializer().fields["vitale"], StrictInput)


@pytest.mark.parametrize("expires_on", ["2300-01-01", "1850-06-01", "0756-03-01"])
def test_fix07_a_document_expiring_in_an_absurd_year_is_refused(agent_client, expires_on):
    patient = PatientFactory()
    before = _unchanged(patient)
    body = {"document_type": "PA", "issuing_country": "FR", "expires_on": expires_on}
    response = agent_client.post(detail_url(patient, "validate-document/"), body, format="json", **if_match(patient))
    _refused(response, "expires_on")
    assert _unchanged(patient) == before


@pytest.mark.parametrize("birth_date", ["0756-03-01", "1899-12-31"])
def test_fix07_a_birth_date_before_1900_is_refused(agent_client, birth_date):
    before = Patient.objects.count()
    body = {"birth_name": "MARTIN", "first_name": "LOUIS", "sex": "M", "birth_date": birth_date}
    _refused(agent_client.post("/api/v1/patients/", body, format="json"), "birth_date")
    assert Patient.objects.count() == before


# Item 8: bidirectional controls, malformed cursors.


@pytest.mark.parametrize("control", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"])
def test_fix08_a_phone_with_a_bidi_control_is_refused_and_nothing_is_stored(agent_client, control):
    patient = PatientFactory()
    before = _unchanged(patient)
    body = {"phone": f"01{control}02030405"}
    response = agent_client.patch(detail_url(patient), body, format="json", **if_match(patient))
    assert "sens d'écriture" in _refused(response, "phone")
    assert _unchanged(patient) == before


def test_fix08_an_insi_justification_or_vitale_number_with_a_bidi_control_is_refused(referent_client):
    patient = PatientFactory()
    calls, proposals = InsiCall.objects.count(), InsiProposal.objects.count()
    url = f"/api/v1/patients/{patient.public_id}/insi/"
    body = {"decision": "accept", "justification": f"Vu{RLO}"}
    _refused(referent_client.post(f"{url}decision/", body, format="json"), "justification")
    _refused(referent_client.post(f"{url}search/", {"vitale": {"individual": f"1{RLO}2"}}, format="json"), "vitale")
    assert (InsiCall.objects.count(), InsiProposal.objects.count()) == (calls, proposals)


def test_fix08_the_identity_screens_refuse_a_bidi_control():
    patient = check_passport(PatientFactory())
    form = DowngradeForm(
        data={"withdraw_document": "on", "reason": f"Homonyme{RLO}", "read_version": patient.version}, patient=patient
    )
    assert not form.is_valid() and "reason" in form.errors


@pytest.mark.parametrize("cursor", ["%%%%", "%25%25%25%25", "", "!!!!", "bm90IGEgY3Vyc29y", "Q" * 5000])
def test_fix08_a_malformed_cursor_is_a_400_not_the_first_page(agent_client, cursor):
    PatientFactory(birth_name="MARTIN")
    response = agent_client.post(f"{SEARCH}?cursor={cursor}", {"name": "MARTIN"}, format="json")
    assert _refused(response, "cursor") == "Curseur de pagination invalide."


def test_fix08_a_cursor_the_api_wrote_still_pages(agent_client):
    for _ in range(3):
        PatientFactory(birth_name="MARTIN")
    first = agent_client.post(f"{SEARCH}?page_size=2", {"name": "MARTIN"}, format="json").json()
    second = agent_client.post(first["next"], {"name": "MARTIN"}, format="json")
    assert second.status_code == 200 and len(second.json()["results"]) == 1


@pytest.mark.postgres
@requires_postgresql
def test_fix05_the_database_itself_refuses_free_text_beyond_its_maximum():
    from django.db import DataError, transaction

    from identity_registry.inputs import ADDRESS_MAX_LENGTH

    patient = PatientFactory()
    with pytest.raises(DataError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(address="x" * (ADDRESS_MAX_LENGTH + 1))
