"""Item 9, RNIV INSI-07/INSI-08: the retries offered follow from the traits sent, never from a fixed list."""

from dataclasses import replace
from datetime import date

import pytest

from insi.client import InsiResult, ReturnedIdentity, ReturnedIns, ReturnedTraits
from insi.matching import LocalTraits, assess, precheck, run_search, suggested_retries

NIR = "1.2.250.1.213.1.4.8"
MATRICULE = "272067505600335"


def local(**kw) -> LocalTraits:
    base = {
        "birth_name": "DUPONT",
        "first_name": "MARIE",
        "first_names": "MARIE",
        "sex": "F",
        "birth_date": date(1972, 6, 3),
        "birthplace_cog": "",
    }
    return LocalTraits(**{**base, **kw})


def _kinds_after(cr: str, traits: LocalTraits) -> list[str]:
    """Run the whole automatic strategy against an INSi that always answers ``cr``, then list the retries."""
    sendable = precheck(traits)
    run = run_search(sendable, lambda query: InsiResult(cr))
    sent = [query for query, _ in run.attempts]
    return [r.kind for r in suggested_retries(local=sendable.traits, sent=sent, cr=run.cr)]


# (case, local traits, kinds offered after 01 on every query)
NOT_FOUND_CASES = [
    # The case: spaces typed where the document may hold apostrophes (or hyphens).
    (
        "birth_name_with_spaces",
        {"birth_name": "D ARTAGNAN"},
        ["check_document", "space_to_hyphen:birth_name", "space_to_apostrophe:birth_name", "retry_later"],
    ),
    (
        "birth_name_with_hyphen",
        {"birth_name": "LE-GALL"},
        ["check_document", "hyphen_to_space:birth_name", "retry_later"],
    ),
    (
        "birth_name_with_apostrophe",
        {"birth_name": "D'ARC"},
        ["check_document", "apostrophe_to_space:birth_name", "retry_later"],
    ),
    # No separator, and the birthplace was never sent (TR-06): neither swap nor "sans le lieu" can help.
    ("plain_name_with_known_birthplace", {"birthplace_cog": "63220"}, ["check_document", "retry_later"]),
    # The spaces of the joined first-name list part names: only the composed first name is a candidate.
    (
        "composed_first_name_with_hyphen",
        {"first_name": "JEAN-PIERRE", "first_names": "JEAN-PIERRE LOUIS"},
        ["check_document", "hyphen_to_space:first_name", "retry_later"],
    ),
    (
        "composed_first_name_with_space",
        {"first_name": "JEAN PIERRE", "first_names": "JEAN PIERRE LOUIS"},
        ["check_document", "space_to_hyphen:first_name", "space_to_apostrophe:first_name", "retry_later"],
    ),
    ("several_plain_first_names", {"first_names": "MARIE LOUISE ANNE"}, ["check_document", "retry_later"]),
]


@pytest.mark.parametrize(("case", "traits", "expected"), NOT_FOUND_CASES, ids=[c[0] for c in NOT_FOUND_CASES])
def test_insi07_retries_after_01_follow_the_traits_sent(case, traits, expected):
    assert _kinds_after("01", local(**traits)) == expected


# (case, local traits, kinds offered after 02 on every query)
MULTIPLE_CASES = [
    # The strategy already tried every narrowing it could: only the "x" of last resort is left.
    ("everything_already_tried", {"first_names": "MARIE LOUISE", "birthplace_cog": "63220"}, ["last_resort_x"]),
    # No birthplace on file: reading it on the document is the narrowing left.
    ("birthplace_missing", {}, ["fill_birthplace", "last_resort_x"]),
    (
        "birthplace_missing_several_names",
        {"first_names": "MARIE LOUISE"},
        ["fill_birthplace", "all_first_names_and_birthplace", "last_resort_x"],
    ),
    # 99999: the birthplace is known to be unknown (TR-06), so no birthplace retry at all.
    ("birthplace_unknown_99999", {"birthplace_cog": "99999"}, ["last_resort_x"]),
]


@pytest.mark.parametrize(("case", "traits", "expected"), MULTIPLE_CASES, ids=[c[0] for c in MULTIPLE_CASES])
def test_insi08_retries_after_02_are_the_narrowings_not_yet_tried(case, traits, expected):
    assert _kinds_after("02", local(**traits)) == expected


def returned(**kw) -> ReturnedTraits:
    base = {
        "birth_name": "DUPONT",
        "first_name": "MARIE",
        "first_names": "MARIE",
        "sex": "F",
        "birth_date": "1972-06-03",
        "birthplace_cog": "75056",
    }
    return ReturnedTraits(**{**base, **kw})


# (case, local traits, birthplace sent, returned traits, kinds offered after the discordance)
DISCORDANCE_CASES = [
    # The case: a spelling difference in the name, born where we know: the birthplace cannot help.
    (
        "spelling_difference_same_birthplace",
        {"birthplace_cog": "75056"},
        "",
        {"birth_name": "DUPOND"},
        ["recheck_document"],
    ),
    # Another person, born elsewhere than our known birthplace, which was not sent: send it.
    (
        "other_person_born_elsewhere",
        {"birthplace_cog": "75056"},
        "",
        {"first_name": "MARTINE", "first_names": "MARTINE", "birthplace_cog": "13055"},
        ["with_birthplace", "recheck_document"],
    ),
    # The birthplace was sent and INSi returned someone born elsewhere: drop it.
    (
        "birthplace_sent_other_birthplace_returned",
        {"birthplace_cog": "75056"},
        "75056",
        {"first_name": "MARTINE", "first_names": "MARTINE", "birthplace_cog": "13055"},
        ["without_birthplace", "recheck_document"],
    ),
    # The birthplace was sent and matched: dropping it cannot fix a name.
    (
        "birthplace_sent_and_matched",
        {"birthplace_cog": "75056"},
        "75056",
        {"birth_name": "DUPOND"},
        ["recheck_document"],
    ),
    # The name INSi returned differs, and ours holds spaces: the separator swaps may find the right person.
    (
        "differing_name_with_spaces",
        {"birth_name": "LE GALL"},
        "",
        {"birth_name": "LE GOFF"},
        ["space_to_hyphen:birth_name", "space_to_apostrophe:birth_name", "recheck_document"],
    ),
    # The name came back the same (only the first name differs): swapping its separators cannot help.
    (
        "same_name_with_spaces_other_first_name",
        {"birth_name": "LE GALL"},
        "",
        {"birth_name": "LE GALL", "first_name": "MARTINE", "first_names": "MARTINE", "birthplace_cog": ""},
        ["recheck_document"],
    ),
]


@pytest.mark.parametrize(
    ("case", "traits", "sent_cog", "answer", "expected"), DISCORDANCE_CASES, ids=[c[0] for c in DISCORDANCE_CASES]
)
def test_insi07_retries_after_a_discordance_are_those_that_could_help(case, traits, sent_cog, answer, expected):
    sendable = precheck(local(**traits))
    first = run_search(sendable, lambda query: InsiResult("01")).attempts[0][0]
    query = replace(first, birthplace_cog=sent_cog)
    identity = ReturnedIdentity(ReturnedIns(MATRICULE, NIR), returned(**answer))
    comparison = assess(sendable.traits, identity)
    assert comparison.outcome == "DISCORDANT"
    retries = suggested_retries(
        local=sendable.traits, sent=[query], cr="00", comparison=comparison, returned=identity.traits
    )
    assert [r.kind for r in retries] == expected


def test_insi07_no_retry_is_offered_after_a_match():
    sendable = precheck(local(birthplace_cog="75056"))
    identity = ReturnedIdentity(ReturnedIns(MATRICULE, NIR), returned())
    comparison = assess(sendable.traits, identity)
    assert comparison.outcome == "MATCH"
    assert suggested_retries(local=sendable.traits, sent=[], cr="00", comparison=comparison) == ()


def test_insi07_every_retry_names_its_rule_and_reads_in_french():
    sendable = precheck(local(birth_name="D ARC"))
    sent = [query for query, _ in run_search(sendable, lambda query: InsiResult("01")).attempts]
    retries = suggested_retries(local=sendable.traits, sent=sent, cr="01")
    assert [r.rule for r in retries] == ["INSI-07", "INSI-07", "INSI-07", "INSI-11"]
    assert "Nom de naissance « D ARC »" in retries[2].text
    assert "les espaces par des apostrophes" in retries[2].text
