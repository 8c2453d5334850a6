"""Pure INSi rules as tables of cases: pre-checks, strategy, INS checks and comparison (no database)."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from insi.client import InsiResult, ReturnedIdentity, ReturnedIns, ReturnedTraits, TraitsQuery
from insi.matching import (
    LocalTraits,
    Outcome,
    PrecheckRefused,
    assess,
    compare_traits,
    compare_verification,
    initial_queries,
    precheck,
    run_search,
)

NIR = "1.2.250.1.213.1.4.8"


def local(**kw) -> LocalTraits:
    base = {
        "birth_name": "DURAND",
        "first_name": "MARIE",
        "first_names": "MARIE",
        "sex": "F",
        "birth_date": date(1972, 6, 3),
        "birthplace_cog": "",
    }
    return LocalTraits(**{**base, **kw})


def returned(**kw) -> ReturnedTraits:
    base = {
        "birth_name": "DURAND",
        "first_name": "MARIE",
        "first_names": "MARIE",
        "sex": "F",
        "birth_date": "1972-06-03",
        "birthplace_cog": "75056",
    }
    return ReturnedTraits(**{**base, **kw})


# (rule-named case, local overrides, returned overrides, expected outcome, rules of the differences)
COMPARISON_CASES = [
    ("identical", {}, {}, Outcome.MATCH, []),
    ("insi04_hyphen_space_variant", {"birth_name": "LE-GALL"}, {"birth_name": "LE GALL"}, Outcome.MATCH, ["INSI-04"]),
    ("insi04_apostrophe_variant", {"birth_name": "D ARC"}, {"birth_name": "D'ARC"}, Outcome.MATCH, ["INSI-04"]),
    (
        "insi04_composed_first_name_opens_list",
        {"first_name": "JEAN-PIERRE", "first_names": "JEAN-PIERRE"},
        {"first_name": "JEAN", "first_names": "JEAN PIERRE"},
        Outcome.MATCH,
        ["INSI-04", "INSI-04"],
    ),
    ("tr06_unknown_birthplace_takes_insi_cog", {"birthplace_cog": "99999"}, {}, Outcome.MATCH, []),
    ("insi06_extra_first_name", {}, {"first_names": "MARIE LOUISE"}, Outcome.NEEDS_DECISION, ["INSI-06"]),
    ("insi06_cog_differs", {"birthplace_cog": "75120"}, {}, Outcome.NEEDS_DECISION, ["INSI-06"]),
    ("insi03_birth_name_differs", {}, {"birth_name": "DURANT"}, Outcome.DISCORDANT, ["INSI-03"]),
    ("insi03_birth_name_missing", {}, {"birth_name": ""}, Outcome.DISCORDANT, ["INSI-03"]),
    ("insi03_sex_differs", {}, {"sex": "M"}, Outcome.DISCORDANT, ["INSI-03"]),
    ("insi03_birth_date_differs", {}, {"birth_date": "1972-06-04"}, Outcome.DISCORDANT, ["INSI-03"]),
    (
        "insi03_first_first_name_is_another_local_name",
        {"first_name": "OLA", "first_names": "OLA CATARINA BELLA"},
        {"first_name": "CATARINA", "first_names": "CATARINA BELLA"},
        Outcome.DISCORDANT,
        ["INSI-03"],
    ),
    (
        "insi05_francised_first_name",
        {"first_name": "GIUSEPPE", "first_names": "GIUSEPPE"},
        {"first_name": "JOSEPH", "first_names": "JOSEPH"},
        Outcome.DISCORDANT,
        ["INSI-05"],
    ),
    ("insi03_first_name_missing", {}, {"first_name": "", "first_names": ""}, Outcome.DISCORDANT, ["INSI-03"]),
    (
        "insi03_wins_over_insi06",
        {"birthplace_cog": "75120"},
        {"sex": "M"},
        Outcome.DISCORDANT,
        ["INSI-03", "INSI-06"],
    ),
]


@pytest.mark.parametrize(
    ("case", "local_kw", "returned_kw", "expected", "rules"), COMPARISON_CASES, ids=[c[0] for c in COMPARISON_CASES]
)
def test_comparison_table(case, local_kw, returned_kw, expected, rules):
    comparison = compare_traits(local(**local_kw), returned(**returned_kw))
    assert comparison.outcome == expected
    assert sorted(d.rule for d in comparison.differences) == sorted(rules)
    assert all(d.explanation for d in comparison.differences)


INS_CASES = [
    ("tr10_good_key", "275126322074974", NIR, Outcome.MATCH, []),
    ("tr10_hermann_bad_key", "181036322045660", NIR, Outcome.INS_REFUSED, ["TR-10"]),
    ("tr10_corsica_2a_key_with_19", "297022A02077878", NIR, Outcome.MATCH, []),
    ("tr12_ame_nir_not_starting_with_1_or_2", "875126322074974", NIR, Outcome.INS_REFUSED, ["TR-12"]),
    ("tr14_ins_c_oid_refused", "275126322074974", "1.2.250.1.213.1.4.2", Outcome.INS_REFUSED, ["TR-14"]),
]


@pytest.mark.parametrize(("case", "matricule", "oid", "expected", "rules"), INS_CASES, ids=[c[0] for c in INS_CASES])
def test_returned_ins_checks(case, matricule, oid, expected, rules):
    from patients.ins import ins_key

    if case.startswith("tr12"):
        matricule = matricule[:13] + ins_key(matricule[:13])
    identity = ReturnedIdentity(ReturnedIns(matricule, oid), returned(birthplace_cog=""))
    comparison = assess(local(), identity)
    assert comparison.outcome == expected
    assert [d.rule for d in comparison.differences] == rules


PRECHECK_CASES = [
    ("st03_doubtful", {"doubtful": True}, "ST-03"),
    ("st03_fictitious", {"fictitious": True}, "ST-03"),
    ("tr01_sex_u_never_sent", {"sex": "U"}, "TR-01"),
    ("tr03_digits_refused", {"birth_name": "DURAND2"}, "TR-03"),
]


@pytest.mark.parametrize(("case", "kw", "rule"), PRECHECK_CASES, ids=[c[0] for c in PRECHECK_CASES])
def test_precheck_refusals(case, kw, rule):
    with pytest.raises(PrecheckRefused) as caught:
        precheck(local(**kw))
    assert caught.value.rule == rule


def test_tr03_ligatures_and_typographic_apostrophe_are_transliterated_and_reported():
    sendable = precheck(local(birth_name="D’ÆION", first_name="CŒUR", first_names="CŒUR"))
    assert (sendable.traits.birth_name, sendable.traits.first_name) == ("D'AEION", "COEUR")
    assert len(sendable.warnings) == 3


def test_strategy_tries_first_name_then_each_other_then_all_without_birthplace():
    sendable = precheck(local(first_name="PIERRE", first_names="PIERRE PAUL JACQUES", birthplace_cog="63220"))
    queries = initial_queries(sendable)
    assert [q.first_name for q in queries] == ["PIERRE", "PAUL", "JACQUES", "PIERRE PAUL JACQUES"]
    # RNIV TR-06: no birthplace on the first calls.
    assert {q.birthplace_cog for q in queries} == {""}


def test_strategy_keeps_a_composed_first_first_name_whole():
    sendable = precheck(local(first_name="JEAN PIERRE", first_names="JEAN PIERRE LOUIS"))
    assert [q.first_name for q in initial_queries(sendable)] == ["JEAN PIERRE", "LOUIS", "JEAN PIERRE LOUIS"]


def _scripted(answers: dict[tuple[str, str], str]):
    sent: list[TraitsQuery] = []

    def send(query: TraitsQuery) -> InsiResult:
        sent.append(query)
        return InsiResult(answers.get((query.first_name, query.birthplace_cog), "01"))

    return send, sent


def test_insi08_on_02_the_birthplace_then_all_first_names_then_both_are_added():
    sendable = precheck(local(first_name="LEO", first_names="LEO MAX", birthplace_cog="63220"))
    send, sent = _scripted({("LEO", ""): "02", ("LEO", "63220"): "02", ("LEO MAX", ""): "02"})
    run = run_search(sendable, send)
    assert [(q.first_name, q.birthplace_cog) for q in sent] == [
        ("LEO", ""),
        ("LEO", "63220"),
        ("LEO MAX", ""),
        ("LEO MAX", "63220"),
    ]
    assert run.cr == "02"


def test_unknown_birthplace_99999_is_never_sent():
    sendable = precheck(local(birthplace_cog="99999"))
    send, sent = _scripted({("MARIE", ""): "02"})
    run_search(sendable, send)
    assert {q.birthplace_cog for q in sent} == {""}


def test_search_stops_at_the_first_00():
    sendable = precheck(local(first_name="OLA", first_names="OLA CATARINA BELLA"))
    send, sent = _scripted({("CATARINA", ""): "00"})
    assert run_search(sendable, send).cr == "00"
    assert [q.first_name for q in sent] == ["OLA", "CATARINA"]


def test_st08_verification_requires_the_same_matricule_oid_and_traits():
    stored = local(birthplace_cog="75056")
    same = ReturnedIdentity(ReturnedIns("272067505600335", NIR), returned())
    assert compare_verification(matricule="272067505600335", oid=NIR, stored=stored, identity=same).outcome == "MATCH"
    other = ReturnedIdentity(ReturnedIns("272067505600335", NIR), returned(first_names="MARIE LOUISE"))
    result = compare_verification(matricule="272067505600335", oid=NIR, stored=stored, identity=other)
    assert result.outcome == Outcome.DISCORDANT
    assert [(d.trait, d.rule) for d in result.differences] == [("first_names", "ST-08")]


# Names as INSi and the registry hold them (TR-03: upper case, separators kept) and as they may differ in a
# tolerated way (INSI-04): any of hyphen, apostrophe and space for another, diacritics present or not.
ACCENTED = {
    "A": "ÀÂÄ",
    "C": "Ç",
    "E": "ÉÈÊË",
    "I": "ÎÏ",
    "O": "ÔÖ",
    "U": "ÙÛÜ",
    "Y": "Ÿ",
    "N": "Ñ",
}
UNACCENTED = {accented: letter for letter, marks in ACCENTED.items() for accented in marks}
WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10)
SEPARATOR = st.sampled_from(["-", "'", " "])


@st.composite
def name_variants(draw) -> tuple[str, str]:
    """Return a stored name and a tolerated variant of it: other separators, added diacritics."""
    words = draw(st.lists(WORD, min_size=1, max_size=4))
    local_seps = [draw(SEPARATOR) for _ in words[1:]]
    returned_seps = [draw(SEPARATOR) for _ in words[1:]]

    def accented(word: str) -> str:
        return "".join(draw(st.sampled_from(ch + ACCENTED.get(ch, ""))) for ch in word)

    def join(parts: list[str], seps: list[str]) -> str:
        return parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))

    return join(words, local_seps), join([accented(w) for w in words], returned_seps)


def _letters(name: str) -> str:
    return "".join(UNACCENTED.get(ch, ch) for ch in name if ch not in "-' ")


@given(variants=name_variants())
def test_insi04_separator_and_diacritic_variants_of_the_birth_name_never_make_a_discordance(variants):
    stored, variant = variants
    comparison = compare_traits(local(birth_name=stored), returned(birth_name=variant))
    assert comparison.outcome == Outcome.MATCH
    assert [d.rule for d in comparison.differences] == ([] if stored == variant else ["INSI-04"])


@given(variants=name_variants())
def test_insi04_separator_and_diacritic_variants_of_the_first_names_never_make_a_discordance(variants):
    stored, variant = variants
    comparison = compare_traits(
        local(first_name=stored, first_names=stored), returned(first_name=variant, first_names=variant)
    )
    assert comparison.outcome == Outcome.MATCH
    assert {d.rule for d in comparison.differences} <= {"INSI-04"}


@given(variants=name_variants(), other=name_variants())
def test_a_different_birth_name_is_always_discordant(variants, other):
    stored, _ = variants
    _, different = other
    assume(_letters(stored) != _letters(different))
    comparison = compare_traits(local(birth_name=stored), returned(birth_name=different))
    assert comparison.outcome == Outcome.DISCORDANT
    assert [(d.trait, d.rule) for d in comparison.differences] == [("birth_name", "INSI-03")]


@given(variants=name_variants(), extra=WORD)
def test_a_birth_name_with_one_more_word_is_always_discordant(variants, extra):
    stored, variant = variants
    comparison = compare_traits(local(birth_name=stored), returned(birth_name=f"{variant} {extra}"))
    assert comparison.outcome == Outcome.DISCORDANT


def test_tr10_a_verification_answering_a_matricule_with_a_bad_key_names_tr10():
    stored = local(birthplace_cog="75056")
    hermann = ReturnedIdentity(ReturnedIns("181036322045660", NIR), returned())
    result = compare_verification(matricule="272067505600335", oid=NIR, stored=stored, identity=hermann)
    assert result.outcome == Outcome.DISCORDANT
    assert [(d.trait, d.rule) for d in result.differences] == [("ins_matricule", "TR-10"), ("ins_matricule", "ST-08")]
