"""RNIV AUD-05, ST-11: merging a duplicate into its survivor, and undoing it exactly."""

import pytest
from django.core.exceptions import PermissionDenied

from consent.codes import ConsentDecision, ConsentPurpose, GiverCapacity, OppositionKind
from consent.services.consents import consent_record, opposition_record
from consent.services.episodes import care_episode_create
from identity_registry.exceptions import RuleViolation
from patients import reasons
from patients.lookup import patient_by_ipp, resolve_survivor
from patients.models import Patient
from patients.services import (
    identifier_add,
    identity_downgrade,
    patient_merge,
    patient_unmerge,
    patient_update_traits,
)
from tests.factories import PatientFactory, check_passport, retrieve_ins
from tests.patients.merge_world import authority, owned, referent_user, user_with

pytestmark = pytest.mark.django_db

OTHER_INS = "269029934173285"


def _rich_duplicate(actor) -> Patient:
    """A duplicate owning one of everything: documents, an earlier INS, an identifier, an episode, consents."""
    patient = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", actor=actor)
    retrieve_ins(patient, matricule=OTHER_INS, actor=actor)
    identity_downgrade(actor=actor, patient=patient, withdraw_ins=True, withdraw_document=False, reason="homonyme")
    patient = check_passport(patient, actor=actor)
    identifier_add(actor=actor, patient=patient, authority=authority(), value="ipp-77 001")
    episode = care_episode_create(actor=actor, patient=patient, unit="Cardiologie", kind="hospitalisation")
    consent_record(
        actor=actor,
        episode=episode,
        purpose=ConsentPurpose.CONSULTATION,
        decision=ConsentDecision.GIVEN,
        given_by_capacity=GiverCapacity.PATIENT,
        given_by_name="DUBE-LAMBERT HELENE",
        channel="oral",
    )
    opposition_record(
        actor=actor,
        patient=patient,
        kind=OppositionKind.EMERGENCY_ACCESS,
        expressed_by_capacity=GiverCapacity.PATIENT,
        expressed_by_name="DUBE-LAMBERT HELENE",
    )
    return Patient.objects.get(pk=patient.pk)


def test_aud05_merge_then_unmerge_restores_both_records_exactly():
    referent = referent_user()
    survivor = check_passport(PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", actor=referent))
    duplicate = _rich_duplicate(referent)
    survivor_before, duplicate_before = owned(survivor), owned(duplicate)

    merge = patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="même personne, pièce vue")

    after_merge = owned(duplicate)
    assert after_merge["identity"]["is_active"] is False
    assert after_merge["identity"]["merged_into"] == survivor.pk
    # Everything the duplicate owned moved to the survivor.
    absorbed = owned(survivor)
    for key in ("documents", "identifiers", "ins_history", "episodes", "consents", "oppositions"):
        assert duplicate_before[key], key
        assert after_merge[key] == [], key
        assert set(duplicate_before[key]) <= set(absorbed[key]), key
    assert absorbed["status"] == "VALI"  # derived again from the survivor's own facts
    assert merge.record.moved["consent.CareEpisode"] == duplicate_before["episodes"]

    patient_unmerge(actor=referent, merged=duplicate, reason="deux personnes distinctes finalement")

    assert owned(survivor) == survivor_before
    assert owned(duplicate) == duplicate_before


def test_aud05_history_shows_the_merge_and_the_unmerge_on_both_sides():
    referent = referent_user()
    survivor, duplicate = PatientFactory(actor=referent), PatientFactory(actor=referent)
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    patient_unmerge(actor=referent, merged=duplicate, reason="erreur de fusion")

    def codes(patient):
        return list(patient.history.order_by("history_id").values_list("history_reason_code", "history_change_reason"))

    assert codes(duplicate)[-2:] == [(reasons.MERGED, "doublon"), (reasons.UNMERGED, "erreur de fusion")]
    assert codes(survivor)[-2:] == [(reasons.MERGE_ABSORB, "doublon"), (reasons.UNMERGE_RELEASE, "erreur de fusion")]


def test_st11_merge_refused_when_the_two_identities_hold_different_ins():
    referent = referent_user()
    survivor = retrieve_ins(PatientFactory(actor=referent), actor=referent)
    duplicate = retrieve_ins(PatientFactory(actor=referent), matricule=OTHER_INS, actor=referent)
    with pytest.raises(RuleViolation) as refused:
        patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    assert refused.value.code == "ST-11"
    assert Patient.objects.get(pk=duplicate.pk).is_active


def test_aud05_only_referents_merge():
    agent = user_with("agent-fusion", "patients.change_patient")
    survivor, duplicate = PatientFactory(), PatientFactory()
    with pytest.raises(PermissionDenied):
        patient_merge(actor=agent, survivor=survivor, merged=duplicate, reason="doublon")


def test_aud05_a_merged_identity_is_merged_once_and_refuses_edits():
    referent = referent_user()
    survivor, duplicate, third = PatientFactory(), PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    with pytest.raises(RuleViolation) as again:
        patient_merge(actor=referent, survivor=third, merged=duplicate, reason="doublon")
    assert again.value.code == "AUD-05"
    with pytest.raises(RuleViolation) as edit:
        patient_update_traits(actor=referent, patient=duplicate, changes={"used_name": "DURAND"})
    assert edit.value.code == "AUD-05"


def test_aud05_unmerge_of_an_identity_never_merged_is_refused():
    with pytest.raises(RuleViolation):
        patient_unmerge(actor=referent_user(), merged=PatientFactory(), reason="rien")


def test_aud05_unmerge_is_refused_when_the_survivor_was_merged_again():
    referent = referent_user()
    first, second, third = PatientFactory(), PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=second, merged=first, reason="doublon")
    patient_merge(actor=referent, survivor=third, merged=second, reason="doublon")
    with pytest.raises(RuleViolation) as refused:
        patient_unmerge(actor=referent, merged=first, reason="erreur")
    assert "défaites d'abord" in refused.value.message


def test_st11_unmerge_is_refused_when_the_survivor_now_holds_the_same_ins():
    referent = referent_user()
    survivor = PatientFactory()
    duplicate = retrieve_ins(PatientFactory(), matricule=OTHER_INS)
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    retrieve_ins(Patient.objects.get(pk=survivor.pk), matricule=OTHER_INS)
    with pytest.raises(RuleViolation) as refused:
        patient_unmerge(actor=referent, merged=duplicate, reason="erreur")
    assert refused.value.code == "ST-11"
    assert not Patient.objects.get(pk=duplicate.pk).is_active


def test_events_a_merge_and_an_unmerge_are_in_the_feed_with_both_ids():
    from patients.events import PatientEvent

    referent = referent_user()
    survivor, duplicate = PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    patient_unmerge(actor=referent, merged=duplicate, reason="erreur")
    tail = list(PatientEvent.objects.order_by("-seq")[:4])[::-1]
    assert [(e.patient_id, e.kinds, e.related_ipp) for e in tail] == [
        (duplicate.pk, ["merged"], survivor.ipp),
        (survivor.pk, ["absorbed"], duplicate.ipp),
        (survivor.pk, ["released"], duplicate.ipp),
        (duplicate.pk, ["unmerged"], survivor.ipp),
    ]


def test_aud05_an_identity_merged_twice_leads_to_the_last_survivor_by_its_record_or_its_ipp(
    django_assert_num_queries,
):
    referent = referent_user()
    first, second, third = PatientFactory(), PatientFactory(), PatientFactory()
    patient_merge(actor=referent, survivor=second, merged=first, reason="doublon")
    patient_merge(actor=referent, survivor=third, merged=second, reason="doublon")
    first.refresh_from_db()
    with django_assert_num_queries(1):  # the whole chain in one query, whatever its length
        assert resolve_survivor(first) == third
    with django_assert_num_queries(0):  # an identity never merged is its own survivor
        assert resolve_survivor(third) == third
    assert list(patient_by_ipp(ipp=first.ipp)) == [third]
    assert list(patient_by_ipp(ipp=third.ipp)) == [third]
