"""RNIV ST-11, AUD-05: the pure duplicate scorer, trait by trait."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.duplicates.scoring import HIGH, LOW, MatchClass, Outcome, Traits, phonetic_key, score_pair, swapped

BORN = date(1980, 5, 12)
HELENE = Traits("DUBE-LAMBERT", "HELENE", "F", BORN, "75056")


@pytest.mark.parametrize(
    ("other", "match_class", "trait", "outcome"),
    [
        (Traits("DUBE LAMBERT", "HELENE", "F", BORN, "75056"), MatchClass.PROBABLE, "name", Outcome.SEPARATORS),
        (Traits("DUBE-LAMBRT", "HELENE", "F", BORN, "75056"), MatchClass.PROBABLE, "name", Outcome.CLOSE),
        (Traits("DUBE-LAMBERT", "HELENE", "F", date(1980, 12, 5)), MatchClass.PROBABLE, "birth_date", Outcome.SWAPPED),
        (Traits("DUBE-LAMBRT", "HELENE", "F", date(1980, 12, 5)), MatchClass.PROBABLE, "name", Outcome.CLOSE),
        (Traits("ROUX", "HELENE", "F", BORN, used_name="DUBE-LAMBERT"), MatchClass.PROBABLE, "name", Outcome.USED_NAME),
        (Traits("DUBE-LAMBERT", "HELENE MARIE", "F", BORN), MatchClass.PROBABLE, "first_names", Outcome.SUBSET),
        (Traits("DUBE-LAMBERT", "PAUL", "M", BORN, "75056"), None, "first_names", Outcome.DIFFERENT),
        (Traits("MARTIN", "HELENE", "F", BORN, "75056"), None, "name", Outcome.DIFFERENT),
    ],
)
def test_st11_each_score_is_explained_trait_by_trait(other, match_class, trait, outcome):
    match = score_pair(HELENE, other)
    assert match.match_class == match_class
    assert match.codes[trait] == outcome.value
    assert all(label.split(" : ")[0] for label in match.explanation)


def test_st11_same_ins_is_certain_and_different_ins_is_never_probable():
    a = Traits("MARTIN", "ZOE", "F", BORN, ins="275126322074974")
    assert score_pair(a, Traits("DURAND", "ZOE", "F", BORN, ins="275126322074974")).score == 1.0
    other = score_pair(a, Traits("MARTIN", "ZOE", "F", BORN, ins="175126322074974"))
    assert other.score < LOW
    assert other.codes["ins"] == "OTHER_INS"


def test_phonetic_variants_share_a_key():
    assert phonetic_key("GAUTHIER") == phonetic_key("GAUTIER")
    assert phonetic_key("PHILIPPE") == phonetic_key("FILIPE")


def test_swapped_date_only_when_both_orders_are_dates():
    assert swapped(date(1980, 5, 12)) == date(1980, 12, 5)
    assert swapped(date(1980, 5, 13)) is None
    assert swapped(date(1980, 5, 5)) is None


names = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVZ -", min_size=1, max_size=20).filter(lambda s: s.strip(" -"))
traits = st.builds(
    Traits,
    birth_name=names,
    first_names=names,
    sex=st.sampled_from("MFU"),
    birth_date=st.dates(date(1900, 1, 1), date(2025, 1, 1)),
    birthplace_cog=st.sampled_from(["", "75056", "99999", "13055"]),
    used_name=st.one_of(st.just(""), names),
)


@given(traits, traits)
def test_score_is_symmetric_and_bounded(a, b):
    ab, ba = score_pair(a, b), score_pair(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == pytest.approx(ba.score, abs=1e-3)


@given(traits)
def test_an_identity_is_a_probable_duplicate_of_itself(a):
    assert score_pair(a, a).score >= HIGH
