"""Issue 8, item 6: Unicode compatibility characters never slip silently into a strict trait (RNIV TR-03)."""

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.traits import TRANSLITERATIONS, TraitError, normalize_first_names, normalize_trait


def _nfkc_differs_from_nfc(ch: str) -> bool:
    return unicodedata.normalize("NFKC", ch) != unicodedata.normalize("NFC", ch)


# Every compatibility character of the Unicode database Python ships: ﬁ, ſ, Ａ, ², ℌ, ㎏, no-break spaces…
COMPATIBILITY_CHARACTERS = [chr(cp) for cp in range(sys.maxunicode + 1) if _nfkc_differs_from_nfc(chr(cp))]
# Canonical singletons are not compatibility characters, yet NFC rewrites them too (Kelvin sign → K).
SINGLETONS = ["\u212a", "\u212b", "\u2126"]  # KELVIN SIGN, ANGSTROM SIGN, OHM SIGN
# The dangerous ones: those that read as Latin letters (ﬁ, ſ, Ａ, ℌ, ⓐ…), drawn often so the property bites.
LOOK_ALIKES = [ch for ch in COMPATIBILITY_CHARACTERS + SINGLETONS if unicodedata.normalize("NFKD", ch).isascii()]


def _becomes_latin(ch: str) -> bool:
    """Whether case mapping or canonical decomposition turns a non-Latin character into A–Z (ſ, K, ﬁ, ı, ß)."""
    decomposed = unicodedata.normalize("NFD", ch)
    accented_latin = len(decomposed) > 1 and decomposed[0].isascii()
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return not ch.isascii() and not accented_latin and stripped.isascii() and stripped.isalpha()


BECOME_LATIN = [chr(cp) for cp in range(sys.maxunicode + 1) if _becomes_latin(chr(cp))]

letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéèçïÉ", min_size=1, max_size=12)
# What an agent could paste into a name: letters, accents, separators, ligatures and compatibility characters.
pasted = st.text(
    alphabet=st.one_of(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' -"),
        st.sampled_from("éÉèçÇïÏôœŒæÆ’ß\u0301\u0327"),
        st.sampled_from(COMPATIBILITY_CHARACTERS + SINGLETONS),
        st.sampled_from(LOOK_ALIKES),
        st.sampled_from(BECOME_LATIN),
    ),
    min_size=1,
    max_size=20,
)


@pytest.mark.parametrize(
    ("typed", "offending", "code_point"),
    [
        ("ﬁLLON", "ﬁ", "U+FB01"),
        ("ROſE", "ſ", "U+017F"),
        ("\u212aAREN", "\u212a", "U+212A"),  # Kelvin sign, the twin of K
        ("ＭＡＲＴＩＮ", "Ｍ", "U+FF2D"),  # full-width letters
        ("DE\u00a0LA FONTAINE", "\u00a0", "U+00A0"),  # no-break space from a word processor
        ("MARIE\u00b2", "\u00b2", "U+00B2"),
        ("ẛEN", "ẛ", "U+1E9B"),  # long s with dot above: canonical form of a compatibility letter
    ],
)
def test_fix06_tr03_compatibility_characters_are_refused_naming_the_character(typed, offending, code_point):
    with pytest.raises(TraitError) as excinfo:
        normalize_trait(typed, label="Le nom de naissance")

    message = excinfo.value.message
    assert message.startswith("Le nom de naissance contient des caractères de présentation")
    assert f"« {offending} »" in message
    assert code_point in message
    assert "règle TR-03" in message


def test_fix06_the_refusal_tells_the_agent_what_to_type_instead():
    with pytest.raises(TraitError) as excinfo:
        normalize_trait("ﬁLLON", label="Le nom de naissance")
    assert "« ﬁ » (U+FB01, à retaper « FI »)" in excinfo.value.message


def test_fix06_a_dotless_i_is_refused_not_upper_cased_to_i():
    # str.upper() turns "ı" into "I": the agent would never see that the letter changed.
    with pytest.raises(TraitError, match="caractères interdits : « ı »"):
        normalize_trait("Yıldız")


def test_fix06_compatibility_characters_are_refused_in_the_list_of_first_names_too():
    with pytest.raises(TraitError, match="U\\+FB01"):
        normalize_first_names("MARIE ﬁFI")


@given(before=letters, compat=st.sampled_from(COMPATIBILITY_CHARACTERS + SINGLETONS), after=letters)
def test_fix06_no_compatibility_character_is_ever_silently_changed(before, compat, after):
    with pytest.raises(TraitError) as excinfo:
        normalize_trait(before + compat + after)
    assert f"« {compat} »" in excinfo.value.message


@given(before=letters, slip=st.sampled_from(BECOME_LATIN), after=letters)
def test_fix06_no_character_becomes_another_latin_letter_without_the_agent_being_told(before, slip, after):
    try:
        result = normalize_trait(before + slip + after)
    except TraitError as exc:
        told = exc.message
    else:
        told = " ".join(result.warnings)
    assert f"« {slip} »" in told


def _expected(typed: str) -> tuple[str, int] | None:
    """The stored value TR-03 allows for what was typed, and the number of warnings; None if it must be refused.

    Written from the rule, not from the code: a character is kept as an upper-case letter, a separator,
    or a letter stripped of its accents; Æ Œ ’ ß are transliterated with one warning each; nothing else.
    """
    text = typed.strip()
    warnings = sum(1 for source in TRANSLITERATIONS if source in text)
    stored = []
    for ch in text:
        if ch in TRANSLITERATIONS:
            stored.append(TRANSLITERATIONS[ch])
            continue
        if unicodedata.normalize("NFKC", ch) != ch:
            return None
        base, *marks = unicodedata.normalize("NFD", ch)
        if not all(unicodedata.combining(mark) for mark in marks):
            return None
        if unicodedata.combining(base):
            continue  # a diacritic typed on its own, after its letter
        if not (base.isascii() and (base.isalpha() or base in "' -")):
            return None
        stored.append(base.upper())
    value = "".join(stored)
    if not any(ch.isalpha() for ch in value):
        return None
    return value, warnings


@given(pasted)
def test_fix06_every_change_to_a_typed_trait_is_diacritics_case_or_a_warned_transliteration(typed):
    expected = _expected(typed)
    if expected is None:
        with pytest.raises(TraitError):
            normalize_trait(typed)
        return
    result = normalize_trait(typed)
    assert (result.value, len(result.warnings)) == expected
