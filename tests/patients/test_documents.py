"""Which documents validate an identity: ID-01 to ID-08 (pure)."""

import pytest

from patients.documents import DocumentContext as Ctx
from patients.documents import DocumentType as T
from patients.documents import document_verdict

STD = Ctx.STANDARD

# (rule, document type, country, copy, context, minor, can validate, rule reported)
CASES = [
    ("ID-01 French CNI", T.CN, "FR", False, STD, False, True, "ID-01"),
    ("ID-01 French passport", T.PA, "FR", False, STD, False, True, "ID-01"),
    ("ID-01 French minor's CNI", T.CN, "FR", False, STD, True, True, "ID-01"),
    ("ID-01 Italian CNI", T.CN, "IT", False, STD, False, True, "ID-01"),
    ("ID-01 Swiss CNI", T.CN, "CH", False, STD, False, True, "ID-01"),
    ("ID-01 British CNI", T.CN, "GB", False, STD, False, True, "ID-01"),
    ("ID-01 Monaco CNI", T.CN, "MC", False, STD, False, True, "ID-01"),
    ("ID-01 Moroccan passport", T.PA, "MA", False, STD, False, True, "ID-01"),
    ("ID-01 any residence permit", T.CS, "DZ", False, STD, False, True, "ID-01"),
    ("ID-01 e-CNI France Identite", T.ECN, "FR", False, STD, False, True, "ID-01"),
    ("ID-01 Identite Numerique La Poste", T.IN, "FR", False, STD, False, True, "ID-01"),
    ("ID-01 Application carte Vitale", T.AV, "FR", False, STD, False, True, "ID-01"),
    ("ID-02 driving licence", T.DRIVING_LICENCE, "FR", False, STD, False, False, "ID-02"),
    ("ID-02 asylum seeker document", T.ASYLUM_SEEKER, "AF", False, STD, False, False, "ID-02"),
    ("ID-02 other document", T.OTHER, "FR", False, STD, False, False, "ID-02"),
    ("ID-02 Moroccan CNI", T.CN, "MA", False, STD, False, False, "ID-02"),
    ("ID-04 copy of a passport", T.PA, "FR", True, STD, False, False, "ID-04"),
    (
        "ID-04 copy by medico-social establishment",
        T.CN,
        "FR",
        True,
        Ctx.MEDICO_SOCIAL_RESIDENT_COPY,
        False,
        True,
        "ID-01",
    ),
    (
        "ID-05 minor birth extract with parent document",
        T.AN,
        "FR",
        False,
        Ctx.MINOR_WITH_PARENT_DOCUMENT,
        True,
        True,
        "ID-05",
    ),
    (
        "ID-05 minor livret de famille with parent document",
        T.LEP,
        "FR",
        False,
        Ctx.MINOR_WITH_PARENT_DOCUMENT,
        True,
        True,
        "ID-05",
    ),
    ("ID-05 minor birth extract alone", T.AN, "FR", False, STD, True, False, "ID-05"),
    ("ID-05 adult birth extract", T.AN, "FR", False, Ctx.MINOR_WITH_PARENT_DOCUMENT, False, False, "ID-05"),
    ("ID-05 foreign minor travel document", T.CC, "SN", False, STD, True, True, "ID-05"),
    ("ID-05 adult travel document", T.CC, "SN", False, STD, False, False, "ID-05"),
    ("ID-05 ASE minor birth extract with photo Vitale", T.ANCV, "FR", False, Ctx.ASE_MINOR, True, True, "ID-05"),
    ("ID-05 non-ASE minor birth extract with Vitale", T.ANCV, "FR", False, STD, True, False, "ID-05"),
    (
        "ID-06 EHPAD livret de famille with Vitale",
        T.LECV,
        "FR",
        False,
        Ctx.EHPAD_DIRECT_ADMISSION,
        False,
        True,
        "ID-06",
    ),
    ("ID-06 EHPAD birth extract with Vitale", T.ANCV, "FR", False, Ctx.EHPAD_DIRECT_ADMISSION, False, True, "ID-06"),
    ("ID-06 livret de famille with Vitale outside EHPAD", T.LECV, "FR", False, STD, False, False, "ID-06"),
]


@pytest.mark.parametrize(
    ("name", "doc", "country", "copy", "context", "minor", "ok", "rule"), CASES, ids=[c[0] for c in CASES]
)
def test_id01_to_id06_document_verdicts(name, doc, country, copy, context, minor, ok, rule):
    verdict = document_verdict(
        document_type=doc, issuing_country=country, is_copy=copy, context=context, holder_is_minor=minor
    )
    assert verdict.can_validate is ok
    assert verdict.rule == rule
    if ok:
        assert verdict.reason == ""
    else:
        assert f"règle {rule}" in verdict.reason


def test_id02_driving_licence_refusal_says_it_carries_no_sex():
    verdict = document_verdict(
        document_type=T.DRIVING_LICENCE, issuing_country="FR", is_copy=False, context=STD, holder_is_minor=False
    )
    assert "sexe" in verdict.reason


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("FR", True),
        ("MA", True),
        ("GB", True),
        ("XK", True),
        ("ZZ", False),
        ("fr", False),
        ("F1", False),
        ("FRA", False),
        ("", False),
    ],
)
def test_id01_issuing_country_must_be_an_existing_iso_code(code, known):
    from patients.documents import is_country_code

    assert is_country_code(code) is known
