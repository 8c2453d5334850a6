"""RULES PRO-01: national identifiers of professionals."""

import pytest

from consent.codes import IdentifierKind
from consent.identifiers import IdentifierError, parse_national_identifier


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("810001234567", IdentifierKind.RPPS, "810001234567"),
        ("8 1000 1234 567", IdentifierKind.RPPS, "810001234567"),
        ("0751234567", IdentifierKind.ADELI, "0751234567"),
    ],
)
def test_pro01_rpps_prefixed_8_and_adeli_prefixed_0_are_accepted(raw, kind, value):
    parsed = parse_national_identifier(raw)
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("10001234567", "préfixé de 8"),  # RPPS typed without its 8 prefix
        ("81000123456", "12 chiffres"),
        ("8100012345678", "12 chiffres"),
        ("075123456", "10 chiffres"),
        ("751234567", "préfixé de 8"),  # ADELI typed without its 0 prefix
        ("8100012345A7", "que des chiffres"),
        ("８１０００１２３４５６７", "que des chiffres"),
        ("", "obligatoire"),
    ],
)
def test_pro01_bad_length_or_prefix_is_refused_with_a_french_message(raw, fragment):
    with pytest.raises(IdentifierError) as exc:
        parse_national_identifier(raw)
    assert fragment in exc.value.message
    assert "PRO-01" in exc.value.message
