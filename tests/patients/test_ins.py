"""The matricule INS: TR-10 key, TR-12 AME, TR-14 INS-C."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.ins import OID_INS_C, OID_NIA, OID_NIR, OID_NIR_TEST, InsError, ins_key, validate_ins

PUBLIC_TEST_MATRICULES = [
    "275126322074974",
    "297022A02077878",
    "160012B02077713",
    "101066322075460",
    "109076322083489",
    "180032B02040123",
    "236066322083656",
    "110086322083060",
]


@pytest.mark.parametrize("matricule", PUBLIC_TEST_MATRICULES)
def test_tr10_public_test_matricules_have_valid_keys(matricule):
    assert validate_ins(matricule, OID_NIR).matricule == matricule


def test_tr10_corsican_body_counts_2a_as_19_and_2b_as_18():
    assert ins_key("297022A020778") == "78"
    assert ins_key("160012B020777") == "13"
    assert ins_key("297022A020778") == ins_key("2970219020778")
    assert ins_key("160012B020777") == ins_key("1600118020777")


def test_tr10_hermann_matricule_with_a_wrong_key_is_refused():
    with pytest.raises(InsError) as excinfo:
        validate_ins("181036322045660", OID_NIR)
    assert excinfo.value.rule == "TR-10"


@pytest.mark.parametrize("matricule", ["27512632207497", "2751263220749740", "2 75126322074974", "27512632207497a"])
def test_tr10_matricule_must_be_exactly_fifteen_characters(matricule):
    with pytest.raises(InsError):
        validate_ins(matricule, OID_NIR)


def test_tr10_nir_and_nia_are_told_apart_by_the_oid():
    assert validate_ins("109076322088835", OID_NIA).kind == "INS-NIA"
    assert validate_ins("275126322074974", OID_NIR).kind == "INS-NIR"
    assert validate_ins("275126322074974", OID_NIR_TEST).kind == "INS-NIR-TEST"


# A 13-character body: digits, with Corsica's 2A or 2B as the department (characters 6 and 7).
bodies = st.one_of(
    st.from_regex(r"\A[0-9]{13}\Z"),
    st.tuples(st.from_regex(r"\A[12][0-9]{4}\Z"), st.sampled_from(["2A", "2B"]), st.from_regex(r"\A[0-9]{6}\Z")).map(
        "".join
    ),
)


def rules_key(body: str) -> str:
    """RULES TR-10: key = 97 - (the 13 characters as a number, with 2A as 19 and 2B as 18) mod 97."""
    number = int(body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:])
    return f"{97 - number % 97:02d}"


@given(bodies)
def test_tr10_every_body_gets_exactly_the_key_of_the_rules_formula(body):
    expected = rules_key(body)
    assert ins_key(body) == expected
    valid = [f"{k:02d}" for k in range(100) if _key_ok(body + f"{k:02d}")]
    assert valid == [expected]


def _key_ok(matricule: str) -> bool:
    try:
        validate_ins(matricule, OID_NIA)
    except InsError:
        return False
    return True


@given(bodies)
def test_tr10_tr12_a_nir_oid_takes_a_valid_matricule_only_when_it_starts_with_1_or_2(body):
    matricule = body + rules_key(body)
    if body[0] in "12":
        assert validate_ins(matricule, OID_NIR).matricule == matricule
    else:
        with pytest.raises(InsError) as excinfo:
            validate_ins(matricule, OID_NIR)
        assert excinfo.value.rule == "TR-12"


@given(bodies)
def test_tr10_a_matricule_in_lower_case_or_with_a_separator_is_refused(body):
    matricule = body + rules_key(body)
    for variant in (matricule.lower(), f" {matricule[:-1]}", matricule[:5] + " " + matricule[5:-1]):
        if variant != matricule:
            with pytest.raises(InsError) as excinfo:
                validate_ins(variant, OID_NIA)
            assert excinfo.value.rule == "TR-10"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("0000000000000", "97"),  # number mod 97 == 0: the key is 97, never 00
        ("0000000000096", "01"),
        ("0000000000097", "97"),
        ("100002A000000", "19"),  # 1000019000000
        ("100002B000000", "46"),  # 1000018000000
    ],
)
def test_tr10_key_edges(body, key):
    assert ins_key(body) == key
    assert _key_ok(body + key)
    assert not _key_ok(body + "00")


@pytest.mark.parametrize("first_digit", "0345678")
def test_tr12_nir_not_starting_with_1_or_2_is_refused_as_an_ame_number(first_digit):
    body = first_digit + "751263220749"
    with pytest.raises(InsError) as excinfo:
        validate_ins(body + ins_key(body), OID_NIR)
    assert excinfo.value.rule == "TR-12"


def test_tr12_ame_rule_does_not_apply_to_a_nia():
    body = "775126322074"
    body += "9"
    assert validate_ins(body + ins_key(body), OID_NIA).kind == "INS-NIA"


def test_tr14_ins_c_oid_is_never_an_identifier():
    with pytest.raises(InsError) as excinfo:
        validate_ins("275126322074974", OID_INS_C)
    assert excinfo.value.rule == "TR-14"


def test_tr10_unknown_oid_is_refused():
    with pytest.raises(InsError):
        validate_ins("275126322074974", "1.2.250.1.213.1.4.5")


@pytest.mark.parametrize(
    ("matricule", "oid", "rule", "message"),
    [
        (
            "275126322074974",
            OID_INS_C,
            "TR-14",
            "L'INS-C est obsolète et n'est jamais utilisé comme identifiant (règle TR-14).",
        ),
        (
            "275126322074974",
            "1.2.250.1.213.1.4.5",
            "TR-10",
            "OID d'INS inconnu : '1.2.250.1.213.1.4.5' (règle TR-10).",
        ),
        (
            "27512632207497",
            OID_NIR,
            "TR-10",
            "Le matricule INS doit compter exactement 15 caractères (règle TR-10).",
        ),
        (
            "181036322045660",
            OID_NIR,
            "TR-10",
            "La clé du matricule INS est invalide ou son format est incorrect (règle TR-10).",
        ),
        (
            "375126322074924",
            OID_NIR,
            "TR-12",
            "Ce numéro n'est pas un INS : un NIR ne commençant pas par 1 ou 2 (bénéficiaire de l'AME) "
            "ne peut pas être qualifié (règle TR-12).",
        ),
    ],
)
def test_tr10_tr12_tr14_each_refusal_names_its_rule_in_french(matricule, oid, rule, message):
    with pytest.raises(InsError) as excinfo:
        validate_ins(matricule, oid)
    assert (excinfo.value.rule, excinfo.value.message, str(excinfo.value)) == (rule, message, message)
