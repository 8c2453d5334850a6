"""Pure trait rules: TR-03 normalisation, TR-05 search keys, TR-06 COG, TR-07 birth dates."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.traits import (
    TraitError,
    estimate_birth_date,
    first_names_match_first,
    normalize_first_names,
    normalize_trait,
    search_key,
    validate_cog,
)

REAL_FRENCH_NAMES = [
    ("Ève-Marie d'Aubigné", "EVE-MARIE D'AUBIGNE"),
    ("François", "FRANCOIS"),
    ("Hélène", "HELENE"),
    ("Anaïs", "ANAIS"),
    ("Noël", "NOEL"),
    ("Jérôme", "JEROME"),
    ("Çağla", "CAGLA"),
    ("de La Fontaine", "DE LA FONTAINE"),
    ("D'ARTAGNAN DE L'HERAULT", "D'ARTAGNAN DE L'HERAULT"),
    ("Le Bihan-Kerné", "LE BIHAN-KERNE"),
    ("  zoé  ", "ZOE"),
    ("Marie-Christine", "MARIE-CHRISTINE"),
]


@pytest.mark.parametrize(("typed", "stored"), REAL_FRENCH_NAMES)
def test_tr03_strict_traits_are_stored_upper_case_without_diacritics(typed, stored):
    result = normalize_trait(typed)
    assert result.value == stored
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("typed", "stored", "replaced"),
    [
        ("D’ÆION", "D'AEION", ["Æ", "’"]),
        ("Cœur", "COEUR", ["œ"]),
        ("Lætitia", "LAETITIA", ["æ"]),
        ("L’Œillet", "L'OEILLET", ["Œ", "’"]),
    ],
)
def test_tr03_ligatures_and_typographic_apostrophe_are_transliterated_with_a_warning(typed, stored, replaced):
    result = normalize_trait(typed)
    assert result.value == stored
    assert len(result.warnings) == len(replaced)
    for char in replaced:
        assert any(f"« {char} »" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("typed", "offending"),
    [("Jean2", "2"), ("Dupont & fils", "&"), ("MARTIN.", "."), ("DUPONT<<JEAN", "<"), ("Zoé_", "_")],
)
def test_tr03_digits_and_symbols_are_refused_with_a_message_naming_them(typed, offending):
    with pytest.raises(TraitError) as excinfo:
        normalize_trait(typed, label="Le nom de naissance")
    assert f"« {offending} »" in excinfo.value.message
    assert excinfo.value.message.startswith("Le nom de naissance contient des caractères interdits")


@pytest.mark.parametrize("typed", ["", "   ", "-", "' -"])
def test_tr03_a_trait_without_letters_is_refused(typed):
    with pytest.raises(TraitError):
        normalize_trait(typed)


def test_id10_mrz_chevrons_are_not_name_characters():
    with pytest.raises(TraitError, match="«"):
        normalize_trait("MARTIN<<MARIE<ANNE")


# What an agent types for a name: letters of French and other Latin alphabets, with or without diacritics, in any
# case, the three separators of TR-03, ligatures and the typographic apostrophe. Nearly every draw is a valid trait,
# so the properties below are checked on names, not skipped (issue 8, item 23).
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäçïîôöùûüÿñÉÈÊËÀÂÄÇÏÎÔÖÙÛÜŸÑ"
SEPARATORS = " -'’"
LIGATURES = "æœÆŒ"
typed_names = st.text(alphabet=LETTERS + SEPARATORS + LIGATURES, min_size=1, max_size=40).filter(
    lambda text: any(ch.isalpha() for ch in text)
)
# Digits and symbols that TR-03 refuses, MRZ chevrons included (ID-10).
FORBIDDEN = '0123456789&._<>@#/,;:!?()[]+=*%$"\\'


@given(typed_names)
def test_tr03_normalising_is_idempotent(text):
    once = normalize_trait(text).value
    again = normalize_trait(once)
    assert again.value == once
    assert again.warnings == ()


@given(typed_names)
def test_tr03_normalised_traits_only_hold_a_to_z_hyphen_apostrophe_and_space(text):
    value = normalize_trait(text).value
    assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ' -")
    assert value == value.strip()


@given(typed_names)
def test_tr03_separators_are_kept_as_typed_and_letters_lose_only_their_diacritics(text):
    result = normalize_trait(text)
    typed = text.strip().replace("’", "'")
    assert [ch for ch in result.value if ch in " -'"] == [ch for ch in typed if ch in " -'"]
    # TR-05: the stored value and what was typed have the same search key.
    assert search_key(result.value) == search_key(text)
    assert "".join(ch for ch in result.value if ch not in " -'") == search_key(text)


@given(typed_names)
def test_tr03_every_ligature_and_typographic_apostrophe_is_reported(text):
    result = normalize_trait(text)
    for char in set(text) & set(LIGATURES + "’"):
        assert any(f"« {char} »" in warning for warning in result.warnings)
    if not set(text) & set(LIGATURES + "’"):
        assert result.warnings == ()


@given(typed_names, st.sampled_from(FORBIDDEN), st.integers(min_value=0, max_value=40))
def test_tr03_a_digit_or_symbol_anywhere_is_refused_and_named(text, forbidden, position):
    with pytest.raises(TraitError) as excinfo:
        normalize_trait(text[:position] + forbidden + text[position:], label="Le nom de naissance")
    assert f"« {forbidden} »" in excinfo.value.message


def test_tr04_composed_first_name_list_is_kept_whole():
    assert normalize_first_names("Marie-Christine   Jeanne").value == "MARIE-CHRISTINE JEANNE"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("DARTAGNAN", "D'ARTAGNAN"),
        ("jean pierre", "JEAN-PIERRE"),
        ("Ève Marie", "EVE-MARIE"),
        ("lhopital", "L'HÔPITAL"),
        ("DE LA FONTAINE", "delafontaine"),
    ],
)
def test_tr05_search_keys_ignore_case_diacritics_hyphens_apostrophes_and_spaces(a, b):
    assert search_key(a) == search_key(b)


def test_tr05_search_keys_keep_distinct_names_apart():
    assert search_key("MARTIN") != search_key("MARTINE")


@pytest.mark.parametrize("code", ["75056", "2A004", "2B033", "99999", "99134", "97411"])
def test_tr06_cog_accepts_communes_corsica_countries_and_unknown(code):
    assert validate_cog(code) == code


@pytest.mark.parametrize("code", ["7505", "750561", "2C004", "PARIS", "75 56"])
def test_tr06_cog_refuses_malformed_codes(code):
    with pytest.raises(TraitError, match="99999"):
        validate_cog(code)


@pytest.mark.parametrize(
    ("parts", "expected", "flags"),
    [
        ({"year": None, "estimated_year": 1950}, date(1950, 12, 31), (True, True, True)),
        ({"year": 1980, "month": 5}, date(1980, 5, 1), (True, False, False)),
        ({"year": 1980, "day": 17}, date(1980, 1, 17), (False, True, False)),
        ({"year": 1980}, date(1980, 1, 1), (True, True, False)),
        ({"year": None, "month": 3, "day": 9, "estimated_year": 1960}, date(1960, 3, 9), (False, False, True)),
        ({"year": 1990, "month": 7, "day": 14}, date(1990, 7, 14), (False, False, False)),
    ],
)
def test_tr07_unknown_birth_date_parts_follow_the_rule_and_are_flagged(parts, expected, flags):
    result = estimate_birth_date(**parts)
    assert result.value == expected
    assert (result.day_estimated, result.month_estimated, result.year_estimated) == flags


@pytest.mark.parametrize(
    ("parts", "expected", "flags"),
    [
        # Year unknown, the other parts known or not: the estimated year, then the rule for each missing part.
        ({"year": None, "month": 7, "estimated_year": 1960}, date(1960, 7, 1), (True, False, True)),
        ({"year": None, "day": 9, "estimated_year": 1960}, date(1960, 1, 9), (False, True, True)),
        ({"year": None, "month": 2, "day": 29, "estimated_year": 1960}, date(1960, 2, 29), (False, False, True)),
        # Edges of the calendar: the last day of a month, the first and last months.
        ({"year": 1980, "day": 31}, date(1980, 1, 31), (False, True, False)),
        ({"year": 1980, "month": 12}, date(1980, 12, 1), (True, False, False)),
        ({"year": 2000, "month": 2, "day": 29}, date(2000, 2, 29), (False, False, False)),
        ({"year": None, "estimated_year": 2000}, date(2000, 12, 31), (True, True, True)),
    ],
)
def test_tr07_edges(parts, expected, flags):
    result = estimate_birth_date(**parts)
    assert result.value == expected
    assert (result.day_estimated, result.month_estimated, result.year_estimated) == flags


@pytest.mark.parametrize(
    "parts",
    [
        {"year": None, "month": 2, "day": 29, "estimated_year": 1961},
        {"year": 1900, "month": 2, "day": 29},
        {"year": 1980, "month": 4, "day": 31},
        {"year": 1980, "month": 13},
    ],
)
def test_tr07_a_date_that_does_not_exist_is_refused(parts):
    with pytest.raises(TraitError):
        estimate_birth_date(**parts)


def test_tr07_unknown_year_needs_an_estimate():
    with pytest.raises(TraitError, match="TR-07"):
        estimate_birth_date(year=None)


def test_tr07_impossible_date_is_refused():
    with pytest.raises(TraitError):
        estimate_birth_date(year=2001, month=2, day=29)


# The messages an agent reads (TR-03, TR-06, TR-07): each names the field and the rule.
def test_tr03_an_empty_trait_is_refused_naming_the_field():
    with pytest.raises(TraitError) as excinfo:
        normalize_trait("  ")
    assert excinfo.value.message.startswith("Le trait ")
    assert "obligatoire" in excinfo.value.message
    with pytest.raises(TraitError) as excinfo:
        normalize_trait("", label="Le nom de naissance")
    assert excinfo.value.message.startswith("Le nom de naissance ")


def test_tr03_a_trait_without_letters_is_refused_naming_the_field_and_the_rule():
    with pytest.raises(TraitError) as excinfo:
        normalize_trait("' -", label="Le nom de naissance")
    assert excinfo.value.message.startswith("Le nom de naissance ")
    assert excinfo.value.message.endswith("(règle TR-03).")
    assert str(excinfo.value) == excinfo.value.message


def test_tr03_every_forbidden_character_is_named_once_in_order():
    with pytest.raises(TraitError) as excinfo:
        normalize_trait("Jean2&2")
    assert "« & » « 2 »" in excinfo.value.message
    assert excinfo.value.message.count("« 2 »") == 1
    assert excinfo.value.message.endswith("(règle TR-03).")


def test_tr01_tr03_the_first_names_list_names_itself_and_keeps_the_warnings():
    with pytest.raises(TraitError) as excinfo:
        normalize_first_names("Marie 2")
    assert excinfo.value.message.startswith("La liste des prénoms ")
    result = normalize_first_names("Lætitia  Anne")
    assert result.value == "LAETITIA ANNE"
    assert result.warnings == ("« æ » a été remplacé par « AE » (règle TR-03).",)


def test_tr05_search_key_of_nothing_is_empty_and_drops_every_symbol():
    assert search_key("") == ""
    assert search_key("D_ARTAGNAN^`[]\\") == "DARTAGNAN"


@pytest.mark.parametrize(
    ("first_name", "first_names", "opens"),
    [
        ("JEAN-PIERRE", "JEAN PIERRE PAUL", True),
        ("Zoé", "ZOE ANNE", True),
        ("JEAN PIERRE", "JEAN-PIERRE PAUL", True),
        ("PIERRE", "JEAN PIERRE", False),
        ("ANNE", "MARIE ANNE", False),
        # A first name is a whole word: JEAN is not JEANNOT (this was accepted before issue 8).
        ("JEAN", "JEANNOT MARC", False),
        ("ANNE", "ANNETTE", False),
        ("", "MARIE", False),
    ],
)
def test_tr04_the_first_first_name_opens_the_list(first_name, first_names, opens):
    assert first_names_match_first(first_name, first_names) is opens


def test_tr06_a_malformed_cog_is_refused_with_the_expected_format():
    with pytest.raises(TraitError) as excinfo:
        validate_cog("7505")
    assert excinfo.value.message == (
        "Le lieu de naissance doit être un code officiel géographique (COG) de 5 caractères, "
        "ou 99999 s'il est inconnu (règle TR-06)."
    )


def test_tr07_messages_say_what_is_missing_or_wrong():
    with pytest.raises(TraitError) as excinfo:
        estimate_birth_date(year=None)
    assert excinfo.value.message.startswith("L'année de naissance est inconnue")
    assert excinfo.value.message.endswith("(règle TR-07).")
    with pytest.raises(TraitError) as excinfo:
        estimate_birth_date(year=2001, month=2, day=29)
    assert excinfo.value.message.startswith("La date de naissance n'existe pas")
