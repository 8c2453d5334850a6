"""RNIV ST-11, AUD-05: the full scan, its export, and the sticky "not a duplicate" decision."""

import csv
from datetime import date

import pytest
from django.core.management import call_command

from patients.duplicates.models import DuplicateCandidate, DuplicateScan
from patients.duplicates.services import duplicate_mark_not_duplicate
from patients.services import patient_update_traits
from tests.factories import PatientFactory

BORN = date(1980, 5, 12)


@pytest.fixture
def pair_of_identities(db):
    a = PatientFactory(birth_name="DUBE-LAMBERT", first_name="HELENE", birth_date=BORN)
    b = PatientFactory(birth_name="DUBE LAMBERT", first_name="HELENE", birth_date=BORN)
    PatientFactory(birth_name="MARTIN", first_name="PAUL", sex="M", birth_date=BORN)
    return a, b


def _scan(**options):
    call_command("find_duplicates", "--no-progress", **options)


def test_st11_find_duplicates_records_the_pair_and_sets_homd(pair_of_identities):
    a, b = pair_of_identities
    _scan()
    pair = DuplicateCandidate.objects.get()
    assert {pair.patient_low_id, pair.patient_high_id} == {a.pk, b.pk}
    assert pair.state == DuplicateCandidate.State.SUSPECTED
    assert pair.explanation["name"]["outcome"] == "SEPARATORS"
    assert pair.history.get().history_reason_code == "DUPLICATE_SUSPECTED"
    a.refresh_from_db()
    assert a.homonym_detected
    flagged = a.history.first()
    assert flagged.history_reason_code == "ATTRIBUTE_SET_HOMD"
    assert flagged.version == a.version
    assert flagged.history_change_reason == "Doublon potentiel détecté par la recherche complète des doublons."
    assert flagged.birth_name == a.birth_name  # a full snapshot, as every history row


def test_find_duplicates_export_writes_the_pairs_file(pair_of_identities, tmp_path):
    a, b = pair_of_identities
    target = tmp_path / "paires.csv"
    _scan(export=str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["identifiant_a", "ipp_a", "identifiant_b", "ipp_b", "score", "classe", "etat"]
    assert {rows[1][0], rows[1][2]} == {str(a.public_id), str(b.public_id)}
    assert rows[1][5] == "PROBABLE"
    assert len(rows) == 2


def test_aud05_not_a_duplicate_is_not_proposed_again_after_a_rescan(pair_of_identities, agent):
    a, _b = pair_of_identities
    _scan()
    pair = DuplicateCandidate.objects.get()
    duplicate_mark_not_duplicate(actor=agent, pair=pair, reason="Jumelles, vérifié au guichet")
    _scan(restart=True)
    pair.refresh_from_db()
    assert pair.state == DuplicateCandidate.State.NOT_DUPLICATE
    a.refresh_from_db()
    assert a.homonym_confirmed and not a.homonym_detected


def test_aud05_not_a_duplicate_is_proposed_again_after_a_strict_trait_change(pair_of_identities, agent):
    _a, b = pair_of_identities
    _scan()
    pair = DuplicateCandidate.objects.get()
    duplicate_mark_not_duplicate(actor=agent, pair=pair, reason="Jumelles")
    patient_update_traits(actor=agent, patient=b, changes={"birthplace_cog": "13055"}, reason="erreur de saisie")
    _scan(restart=True)
    pair.refresh_from_db()
    assert pair.state == DuplicateCandidate.State.SUSPECTED
    assert pair.history.first().history_reason_code == "DUPLICATE_REOPENED"


def test_find_duplicates_resumes_after_an_interruption(pair_of_identities):
    # A run stopped after the block of 1980-05-12 resumes after it: nothing in that block is scanned again.
    DuplicateScan.objects.create(checkpoint=[1980, 5, 12])
    _scan()
    assert not DuplicateCandidate.objects.exists()
    run = DuplicateScan.objects.get()
    assert run.finished_at is not None
    _scan()  # a finished run is not resumed: a new one starts from the beginning
    assert DuplicateCandidate.objects.count() == 1


def test_fix09_the_export_gives_each_side_s_ipp_beside_its_uuid(pair_of_identities, tmp_path):
    a, b = pair_of_identities
    target = tmp_path / "paires.csv"
    _scan(export=str(target))
    [_header, row] = list(csv.reader(target.open(encoding="utf-8")))
    assert {(row[0], row[1]), (row[2], row[3])} == {(str(a.public_id), a.ipp), (str(b.public_id), b.ipp)}
