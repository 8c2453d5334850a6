"""The IPP (a permanent local number with a Luhn key) and identifiers of other systems (issue 9)."""

import pytest
from stdnum import luhn

from identity_registry.exceptions import InvalidInput, RuleViolation
from patients import reasons
from patients.ipp import format_ipp, is_valid_ipp, looks_like_ipp
from patients.links import ExternalIdentifier
from patients.services import identifier_add, identifier_remove, patient_merge
from tests.factories import PatientFactory
from tests.patients.merge_world import authority, referent_user


@pytest.mark.parametrize(
    ("number", "ipp"), [(1_000_000, "10000008"), (1_000_001, "10000016"), (12_345_678, "123456782")]
)
def test_ipp_is_the_number_followed_by_its_luhn_key(number, ipp):
    assert format_ipp(number) == ipp
    assert is_valid_ipp(ipp)


@pytest.mark.parametrize("text", ["10000009", "1000000", "ABCDEFGH", "", "100 0000 9x"])
def test_ipp_with_a_wrong_key_or_shape_is_not_an_ipp(text):
    assert not is_valid_ipp(text)
    assert looks_like_ipp(text) is None


@pytest.mark.django_db
def test_ipp_every_identity_gets_its_own_permanent_number_with_a_valid_key():
    patients = [PatientFactory() for _ in range(3)]
    ipps = [p.ipp for p in patients]
    assert len(set(ipps)) == 3
    for ipp in ipps:
        luhn.validate(ipp)
    numbers = [int(ipp[:-1]) for ipp in ipps]
    assert numbers == sorted(numbers)


@pytest.mark.django_db
def test_identifier_unique_per_authority_among_active_identities():
    agent = referent_user()
    first, second = PatientFactory(), PatientFactory()
    identifier_add(actor=agent, patient=first, authority=authority(), value="A-001")
    with pytest.raises(RuleViolation) as refused:
        identifier_add(actor=agent, patient=second, authority=authority(), value=" a-001 ")
    assert refused.value.code == "IDENTIFIER_TAKEN"
    assert refused.value.http_status == 409
    # Another authority may use the same value.
    identifier_add(actor=agent, patient=second, authority=authority("LABO", "Laboratoire"), value="A-001")


@pytest.mark.django_db
def test_identifier_unknown_authority_is_a_clear_400():
    with pytest.raises(InvalidInput):
        identifier_add(actor=referent_user(), patient=PatientFactory(), authority="NOPE", value="1")


@pytest.mark.django_db
def test_identifier_add_and_remove_write_history_and_bump_the_version():
    agent = referent_user()
    patient = PatientFactory()
    added = identifier_add(actor=agent, patient=patient, authority=authority(), value="A-002")
    assert added.patient.version == patient.version + 1
    removed = identifier_remove(actor=agent, patient=patient, identifier=added.identifier.pk, reason="erreur de saisie")
    assert not ExternalIdentifier.objects.filter(patient=patient).exists()
    codes = list(removed.patient.history.values_list("history_reason_code", flat=True))
    assert reasons.IDENTIFIER_ADDED in codes and reasons.IDENTIFIER_REMOVED in codes
    gone = ExternalIdentifier.history.filter(history_type="-").get()
    assert (gone.value, gone.history_change_reason) == ("A-002", "erreur de saisie")


@pytest.mark.django_db
def test_identifier_moves_with_a_merge_and_stays_unique():
    referent = referent_user()
    survivor, duplicate, other = PatientFactory(), PatientFactory(), PatientFactory()
    identifier_add(actor=referent, patient=duplicate, authority=authority(), value="LEGACY-9")
    patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="doublon")
    assert ExternalIdentifier.objects.get(value="LEGACY-9").patient_id == survivor.pk
    with pytest.raises(RuleViolation):
        identifier_add(actor=referent, patient=other, authority=authority(), value="LEGACY-9")
