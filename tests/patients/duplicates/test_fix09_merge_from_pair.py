"""Issue 9 wiring: the comparison's "Fusionner" merges the pair (AUD-05, ST-11); any merge confirms its pair."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from patients.duplicates.models import DuplicateCandidate
from patients.models import Patient
from patients.services import patient_merge
from tests.patients.duplicates.test_worklist import LIST_URL, suspect

pytestmark = pytest.mark.django_db


def compare_url(pair):
    return reverse("admin:patients_duplicatecandidate_change", args=[pair.pk])


def merge_url(pair):
    return reverse("admin:patients_duplicatecandidate_merge", args=[pair.pk])


def test_aud05_the_referent_merges_the_pair_keeping_the_side_chosen(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    html = referent_client.get(compare_url(pair)).content.decode()
    assert f"IPP {pair.patient_high.ipp}" in html and 'name="fusion-survivor"' in html
    response = referent_client.post(merge_url(pair), {"fusion-survivor": "B", "fusion-reason": "Même personne"})
    assert response.status_code == 302
    assert response.url == reverse("admin:patients_patient_change", args=[pair.patient_high_id])
    merged = Patient.objects.get(pk=pair.patient_low_id)
    assert (merged.is_active, merged.merged_into_id) == (False, pair.patient_high_id)
    pair.refresh_from_db()
    assert (pair.state, pair.decided_by, pair.decision_reason) == ("CONFIRMED", referent, "Même personne")


def test_aud05_a_merge_without_a_survivor_or_a_reason_merges_nothing(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    html = referent_client.post(merge_url(pair), {"fusion-survivor": "A", "fusion-reason": ""}).content.decode()
    assert "Ce champ est obligatoire" in html
    referent_client.post(merge_url(pair), {"fusion-reason": "Même personne"})
    assert Patient.objects.filter(is_active=True).count() == 2


def test_aud05_a_merge_done_elsewhere_confirms_the_pair_and_the_worklist_drops_it(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    other = suspect(referent, "DUBOIS-MARTIN", "DUBOIS MARTINE", first_name="ZOE")
    patient_merge(actor=referent, survivor=pair.patient_low, merged=pair.patient_high, reason="Vu au guichet")
    pair.refresh_from_db()
    assert (pair.state, pair.decided_by, pair.decision_reason) == ("CONFIRMED", referent, "Vu au guichet")
    assert pair.history.filter(history_reason_code="DUPLICATE_CONFIRMED").exists()
    assert list(referent_client.get(LIST_URL, {"state__exact": "SUSPECTED"}).context["cl"].result_list) == [other]
    # The confirmed pair stays for the record, under its state.
    confirmed = referent_client.get(LIST_URL, {"state__exact": "CONFIRMED"})
    assert list(confirmed.context["cl"].result_list) == [pair]


def test_aud05_the_worklist_hides_a_still_suspected_pair_whose_side_was_merged_into_a_third(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    third = suspect(referent, "MARTIN", "MARTINE", first_name="ZOE").patient_low
    patient_merge(actor=referent, survivor=third, merged=pair.patient_low, reason="Erreur de saisie")
    pair.refresh_from_db()
    assert pair.state == DuplicateCandidate.State.SUSPECTED
    assert pair not in referent_client.get(LIST_URL).context["cl"].result_list


def test_aud05_without_the_merge_permission_no_merge_button_and_a_403(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    referent.groups.first().permissions.remove(Permission.objects.get(codename="merge_identity"))
    html = referent_client.get(compare_url(pair)).content.decode()
    assert 'value="Pas un doublon"' in html and "fusion-survivor" not in html
    response = referent_client.post(merge_url(pair), {"fusion-survivor": "A", "fusion-reason": "Même personne"})
    assert response.status_code == 403
    assert Patient.objects.filter(is_active=True).count() == 2


def test_fix09_the_pre_save_check_names_the_candidate_s_ipp(agent_client):
    from tests.factories import PatientFactory
    from tests.patients.admin.test_identity_form import identity_post
    from tests.patients.duplicates.test_worklist import BORN

    helene = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=BORN)
    post = identity_post(birth_name="DUBE LAMBERT", first_name="HELENE", first_names="HELENE", sex="F")
    post.update(birth_date=f"{BORN:%d/%m/%Y}", birthplace_cog="75056")
    html = agent_client.post(reverse("admin:patients_patient_add"), post).content.decode()
    assert f"IPP {helene.ipp}" in html


def test_fix09_the_worklist_names_each_side_s_ipp(referent_client, referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    html = referent_client.get(LIST_URL).content.decode()
    assert f"IPP {pair.patient_low.ipp}" in html and f"IPP {pair.patient_high.ipp}" in html


def test_st02_the_merge_settles_the_survivor_s_homd_unless_another_pair_is_still_open(referent):
    pair = suspect(referent, "DUBE-LAMBERT", "DUBE LAMBERT")
    survivor = pair.patient_low
    result = patient_merge(actor=referent, survivor=survivor, merged=pair.patient_high, reason="Même personne")
    survivor.refresh_from_db()
    assert not survivor.homonym_detected
    assert result.survivor.version == survivor.version  # the caller's ETag is the current one

    open_pair = suspect(referent, "DUBOIS-MARTIN", "DUBOIS MARTINE", first_name="ZOE")
    a, b = open_pair.patient_low, open_pair.patient_high
    from patients.duplicates.selectors import duplicate_candidates, identity_values
    from patients.duplicates.services import duplicate_record_suspected
    from tests.factories import PatientFactory

    third = PatientFactory(birth_name="DUBOIS MARTIN", first_name="ZOE", birth_date=a.birth_date)
    duplicate_record_suspected(
        actor=referent,
        patient=third,
        candidates=duplicate_candidates(values=identity_values(third), exclude=third),
        source="CREATE",
    )
    patient_merge(actor=referent, survivor=a, merged=b, reason="Même personne")
    a.refresh_from_db()
    assert a.homonym_detected  # the pair with the third identity is still to be worked
