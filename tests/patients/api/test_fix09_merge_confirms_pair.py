"""Issue 9 wiring: a merge through the API confirms the suspected pair of the two identities (ST-11, AUD-05)."""

from datetime import date

import pytest

from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.selectors import duplicate_candidates, identity_values
from patients.duplicates.services import duplicate_record_suspected
from tests.factories import PatientFactory
from tests.patients.api.conftest import detail_url, if_match

pytestmark = pytest.mark.django_db


def test_aud05_an_api_merge_confirms_the_pair_and_answers_the_survivor_s_current_version(referent_client):
    born = date(1980, 5, 12)
    survivor = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=born)
    duplicate = PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", birth_date=born)
    candidates = duplicate_candidates(values=identity_values(duplicate), exclude=duplicate)
    [pair] = duplicate_record_suspected(actor=None, patient=duplicate, candidates=candidates, source="CREATE")
    survivor.refresh_from_db()
    response = referent_client.post(
        detail_url(survivor, "merge/"),
        {"merged": str(duplicate.public_id), "reason": "Même personne, vue au guichet"},
        format="json",
        **if_match(survivor),
    )
    assert response.status_code == 200, response.json()
    pair.refresh_from_db()
    assert (pair.state, pair.decision_reason) == (DuplicateCandidate.State.CONFIRMED, "Même personne, vue au guichet")
    assert pair.decided_by.username == response.wsgi_request.user.username
    survivor.refresh_from_db()
    assert "HOMD" not in response.json()["survivor"]["attributes"]
    assert response["ETag"] == f'"{survivor.version}"'
