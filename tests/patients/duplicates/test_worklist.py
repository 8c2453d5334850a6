"""The referent's duplicates worklist and comparison (RNIV ST-11, AUD-05)."""

from datetime import date

import pytest
from django.urls import reverse

from patients.duplicates.models import DuplicateCandidate
from patients.duplicates.selectors import duplicate_candidates, identity_values
from patients.duplicates.services import duplicate_record_suspected
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:patients_duplicatecandidate_changelist")
BORN = date(1980, 5, 12)


def suspect(actor, birth_name: str, other_name: str, first_name: str = "HELENE") -> DuplicateCandidate:
    a = PatientFactory(birth_name=birth_name, first_name=first_name, birth_date=BORN)
    b = PatientFactory(birth_name=other_name, first_name=first_name, birth_date=BORN)
    candidates = duplicate_candidates(values=identity_values(b), exclude=b)
    [pair] = duplicate_record_suspected(actor=actor, patient=b, candidates=candidates, source="CREATE")
    assert {pair.patient_low_id, pair.patient_high_id} == {a.pk, b.pk}
    return pair


def test_st11_worklist_is_sorted_by_score_and_filterable_by_state(referent_client, referent):
    weaker = suspect(referent, "DUBOIS-MARTIN", "DUBOIS MARTINE", first_name="ZOE")
    stronger = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    assert weaker.score < stronger.score
    response = referent_client.get(LIST_URL)
    assert list(response.context["cl"].result_list) == [stronger, weaker]
    stronger.state = DuplicateCandidate.State.NOT_DUPLICATE
    stronger.save()
    filtered = referent_client.get(LIST_URL, {"state__exact": "SUSPECTED"})
    assert list(filtered.context["cl"].result_list) == [weaker]


def test_st11_comparison_highlights_the_differing_traits(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    html = referent_client.get(reverse("admin:patients_duplicatecandidate_change", args=[pair.pk])).content.decode()
    assert '<tr class="differs"><th scope="row">Nom de naissance <span class="quiet">(différent)</span>' in html
    assert "Nom : identique aux tirets, espaces ou apostrophes près" in html
    assert 'value="Pas un doublon"' in html
    assert "Fusionner" in html


def test_aud05_pas_un_doublon_needs_a_reason_then_sets_homa(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    url = reverse("admin:patients_duplicatecandidate_not_duplicate", args=[pair.pk])
    assert "Ce champ est obligatoire" in referent_client.post(url, {"reason": ""}).content.decode()
    response = referent_client.post(url, {"reason": "Sœurs jumelles, vérifié"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.state == DuplicateCandidate.State.NOT_DUPLICATE
    assert pair.decided_by == referent
    assert pair.patient_low.homonym_confirmed and pair.patient_high.homonym_confirmed


def test_plus_tard_moves_the_pair_after_the_others(referent_client, referent):
    first = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    second = suspect(referent, "DUBOIS-MARTIN", "DUBOIS MARTINE", first_name="ZOE")
    referent_client.post(reverse("admin:patients_duplicatecandidate_postpone", args=[first.pk]))
    assert list(referent_client.get(LIST_URL).context["cl"].result_list) == [second, first]


def test_a_desk_agent_cannot_decide_on_a_pair(agent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    url = reverse("admin:patients_duplicatecandidate_not_duplicate", args=[pair.pk])
    assert agent_client.post(url, {"reason": "non"}).status_code == 403
    assert agent_client.get(LIST_URL).status_code == 403
