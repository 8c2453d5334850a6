"""RNIV DM-01: the Datamatrix INS text follows INTEROP.md exactly, in C40 from the first codeword."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.datamatrix import (
    GS,
    DatamatrixIdentity,
    DatamatrixRefused,
    datamatrix_text,
    patient_datamatrix_identity,
    read_datamatrix_text,
)
from patients.datamatrix_render import (
    QUIET_ZONE,
    datamatrix_codewords,
    datamatrix_modules,
    datamatrix_png,
    datamatrix_svg,
)
from tests.patients.datamatrix_decode import decode_png, decode_svg

# INTEROP.md's fictitious example, <GS> written out.
EXAMPLE = DatamatrixIdentity(
    matricule="255081416802538",
    oid="1.2.250.1.213.1.4.10",
    first_names="MARIE-ANNE JEANNE",
    birth_name="D'ARTAGNAN-TEST",
    sex="F",
    birth_date=date(1955, 8, 14),
    birthplace_cog="14118",
)
EXAMPLE_TEXT = (
    "IS010000000000000000000000S1255081416802538S21.2.250.1.213.1.4.10S3MARIE-ANNE JEANNE\x1d"
    "S4D'ARTAGNAN-TEST\x1dS5FS614-08-1955S714118"
)


def test_dm01_text_of_the_interop_example_is_exact():
    assert datamatrix_text(EXAMPLE) == EXAMPLE_TEXT


def test_dm01_header_is_is01_and_22_zeros():
    assert datamatrix_text(EXAMPLE)[:26] == "IS01" + "0" * 22


def test_dm01_gs_follows_a_shorter_oid_but_not_a_full_length_one():
    nir = datamatrix_text(DatamatrixIdentity(**{**EXAMPLE.__dict__, "oid": "1.2.250.1.213.1.4.8"}))
    assert "S21.2.250.1.213.1.4.8\x1dS3" in nir
    # The test OID has exactly 20 characters: no GS.
    assert "S21.2.250.1.213.1.4.10S3" in datamatrix_text(EXAMPLE)


def test_dm01_no_gs_after_a_name_of_exactly_100_characters():
    long_name = "A" * 100
    text = datamatrix_text(DatamatrixIdentity(**{**EXAMPLE.__dict__, "birth_name": long_name}))
    assert f"S4{long_name}S5F" in text


def test_dm01_birthplace_is_left_out_when_unknown():
    text = datamatrix_text(DatamatrixIdentity(**{**EXAMPLE.__dict__, "birthplace_cog": ""}))
    assert text.endswith("S614-08-1955")


def test_dm01_first_data_codeword_is_230_c40_latch():
    assert datamatrix_codewords(EXAMPLE_TEXT)[0] == 230


def test_dm01_png_decodes_back_to_the_exact_text_gs_bytes_included():
    assert decode_png(datamatrix_png(EXAMPLE_TEXT)) == EXAMPLE_TEXT.encode("ascii")
    assert decode_png(datamatrix_png(EXAMPLE_TEXT)).count(b"\x1d") == 2


def test_dm01_svg_decodes_back_and_has_a_viewbox_and_quiet_zone():
    svg = datamatrix_svg(EXAMPLE_TEXT)
    size = len(datamatrix_modules(EXAMPLE_TEXT)) + 2 * QUIET_ZONE
    assert f'viewBox="0 0 {size} {size}"' in svg
    # No dark module touches the quiet zone.
    assert "M0 " not in svg and "M1 " not in svg
    assert decode_svg(svg) == EXAMPLE_TEXT.encode("ascii")


def test_dm01_reads_back_a_scanned_text_with_or_without_gs():
    assert read_datamatrix_text(EXAMPLE_TEXT) == EXAMPLE
    # Keyboard-wedge scanners often drop GS.
    assert read_datamatrix_text(EXAMPLE_TEXT.replace(GS, "")) == EXAMPLE
    assert read_datamatrix_text(EXAMPLE_TEXT + "\r\n") == EXAMPLE


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "en-tête IS01"),
        ("bonjour", "en-tête IS01"),
        (EXAMPLE_TEXT.replace("S5F", "S5X"), "mal formé"),
        (EXAMPLE_TEXT.replace("14-08-1955", "31-02-1955"), "n'existe pas"),
        (EXAMPLE_TEXT[:60], "mal formé"),
    ],
)
def test_dm01_unreadable_scans_are_refused_in_french(text, words):
    with pytest.raises(DatamatrixRefused, match=words):
        read_datamatrix_text(text)


class _Identity:
    def __init__(self, status, matricule="255081416802538", oid="1.2.250.1.213.1.4.10"):
        self.status, self.ins_matricule, self.ins_oid = status, matricule, oid
        self.first_names, self.birth_name, self.sex = "JEANNE", "TEST", "F"
        self.birth_date, self.birthplace_cog = date(1955, 8, 14), ""


@pytest.mark.parametrize("status", ["PROV", "RECUP", "VALI"])
def test_dm01_only_a_qualified_identity_gets_one(status):
    with pytest.raises(DatamatrixRefused, match="identité qualifiée"):
        patient_datamatrix_identity(_Identity(status))
    assert patient_datamatrix_identity(_Identity("QUAL")).matricule == "255081416802538"


NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ -'", min_size=1, max_size=100).filter(
    lambda s: s.strip(" -'") == s and s
)


@given(
    first_names=NAME,
    birth_name=NAME,
    sex=st.sampled_from("MF"),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
    oid=st.sampled_from(["1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10"]),
)
def test_dm01_write_then_read_gives_back_the_identity(first_names, birth_name, sex, born, oid):
    identity = DatamatrixIdentity("255081416802538", oid, first_names, birth_name, sex, born, "75056")
    text = datamatrix_text(identity)
    assert read_datamatrix_text(text) == identity
    assert datamatrix_codewords(text)[0] == 230
