"""TR-05 and issue 9: reading the search box and ranking an identity against it (pure)."""

from datetime import date

import pytest

from patients.search.query import Reason, classify_tokens, prefill_from_text, rank

HELENE = {"birth_name": "DUBE-LAMBERT", "used_name": "", "first_names": "HELENE", "birth_date": date(1980, 5, 12)}


@pytest.mark.parametrize(
    ("typed", "words", "dates", "ins", "invalid"),
    [
        ("dube lambert 12/05/1980", ["DUBE", "LAMBERT"], [date(1980, 5, 12)], "", []),
        ("12-05-1980 Hélène", ["HELENE"], [date(1980, 5, 12)], "", []),
        ("12051980", [], [date(1980, 5, 12)], "", []),
        ("2 75 12 63 220 749 74", [], [], "275126322074974", []),
        ("martin 275126322074974", ["MARTIN"], [], "275126322074974", []),
        ("d'artagnan 31/02/1980", ["D", "ARTAGNAN"], [], "", ["31/02/1980"]),
        ("martin 12345", ["MARTIN"], [], "", ["12345"]),
    ],
)
def test_tr05_the_search_box_sorts_tokens_by_kind(typed, words, dates, ins, invalid):
    query = classify_tokens(typed)
    assert (query.words, query.birth_dates, query.ins, query.invalid) == (words, dates, ins, invalid)


@pytest.mark.parametrize(
    ("typed", "exact", "reason"),
    [
        ("dube-lambert helene 12/05/1980", True, Reason.NAME_EXACT),
        ("dubelambert", True, Reason.NAME_EXACT),
        ("dube lambrt", False, Reason.NAME_CLOSE),
        ("dube lambert 05/12/1980", False, Reason.BIRTH_DATE_SWAPPED),
        ("lambert helen", False, Reason.FIRST_NAME_CLOSE),
    ],
)
def test_tr05_rank_says_why_an_identity_matched(typed, exact, reason):
    ranking = rank(classify_tokens(typed), HELENE)
    assert ranking is not None
    assert ranking.exact is exact
    assert reason in ranking.reasons


@pytest.mark.parametrize("typed", ["martin", "dube lambert 13/05/1980", "dube lambert paul"])
def test_tr05_rank_leaves_out_what_does_not_fit(typed):
    assert rank(classify_tokens(typed), HELENE) is None


def test_tr05_a_used_name_typed_for_the_birth_name_is_found_and_said():
    married = {**HELENE, "birth_name": "ROUX", "used_name": "DUBE-LAMBERT"}
    assert Reason.USED_NAME in rank(classify_tokens("dube lambert helene"), married).reasons


def test_prefill_from_a_search_takes_names_first_name_and_date():
    assert prefill_from_text("dube lambert helene 12/05/1980 275126322074974") == {
        "birth_name": "DUBE LAMBERT",
        "first_name": "HELENE",
        "birth_date": "12/05/1980",
    }
