"""Issue 9 wiring: an IPP or another system's identifier typed in the tolerant search finds its identity.

The tolerant search (TR-05) replaced the quick search; the IPP and identifier lookups plug into it, on the
screen's box and the API's ``q``. A merged identity's IPP finds its survivor (AUD-05).
"""

import json

import pytest
from django.urls import reverse

from patients.links import IdentifierAuthority
from patients.search.query import classify_tokens
from patients.search.selectors import patient_tolerant_search
from patients.services import identifier_add, patient_merge
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _ids(hits):
    return [hit.patient_id for hit in hits]


def test_fix09_the_box_reads_an_ipp_typed_with_spaces_and_not_as_a_bad_date():
    assert classify_tokens("1000 0008").ipp == "10000008"
    query = classify_tokens("10000008")
    assert (query.ipp, query.invalid) == ("10000008", [])


def test_aud05_a_merged_identity_s_ipp_finds_its_survivor(referent):
    survivor, merged = PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=survivor, merged=merged, reason="Même personne")
    _, hits = patient_tolerant_search(text=merged.ipp)
    assert _ids(hits) == [survivor.pk]
    assert hits[0].ranking.label == "IPP"


def test_fix09_an_identifier_typed_in_q_finds_its_identity_with_its_reason(referent, agent_client):
    authority = IdentifierAuthority.objects.create(code="ANCIEN", label="Ancien logiciel")
    patient, _other = PatientFactory(), PatientFactory()
    identifier_add(actor=referent, patient=patient, authority=authority, value="OLD-4242")
    body = agent_client.post(
        "/api/v1/patients/search/", json.dumps({"q": "old-4242"}), content_type="application/json"
    ).json()
    assert [p["id"] for p in body["results"]] == [str(patient.public_id)]
    assert body["results"][0]["match"]["reasons"] == ["IDENTIFIER"]
    assert body["not_understood"] == []


def test_fix09_an_ipp_nobody_holds_finds_nobody_on_the_screen(agent_client):
    patient = PatientFactory()
    wrong_but_valid = "19999994"
    response = agent_client.post(reverse("admin:patients_patient_search"), {"q": wrong_but_valid}, follow=True)
    assert patient.birth_name not in response.content.decode()
