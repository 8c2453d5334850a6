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


NOT_HIGH_TRUST = "n'est pas un justificatif à haut niveau de confiance"
REFUSALS = [
    (
        T.DRIVING_LICENCE,
        "FR",
        False,
        STD,
        False,
        "Le permis de conduire " + NOT_HIGH_TRUST + " : il ne mentionne pas le sexe (règle ID-02).",
    ),
    (
        T.ASYLUM_SEEKER,
        "AF",
        False,
        STD,
        False,
        "Le document de demandeur d'asile " + NOT_HIGH_TRUST + " (règle ID-02).",
    ),
    (T.OTHER, "FR", False, STD, False, "Ce document " + NOT_HIGH_TRUST + " (règle ID-02)."),
    (
        T.PA,
        "FR",
        True,
        STD,
        False,
        "Une copie ne permet pas de valider l'identité : l'original doit être présenté, sauf pour un résident "
        "d'établissement médico-social dont l'établissement a fait la copie (règle ID-04).",
    ),
    (
        T.CN,
        "MA",
        False,
        STD,
        False,
        "La carte d'identité de ce pays " + NOT_HIGH_TRUST + " : présentez un passeport ou un titre de séjour "
        "(règle ID-02).",
    ),
    (
        T.LECV,
        "FR",
        False,
        STD,
        False,
        "Le livret de famille ou l'extrait d'acte de naissance avec carte Vitale n'est valable que pour une "
        "admission directe en EHPAD (règle ID-06).",
    ),
    (
        T.LEP,
        "FR",
        False,
        Ctx.MINOR_WITH_PARENT_DOCUMENT,
        False,
        "Ce document ne permet de valider que l'identité d'un mineur (règle ID-05).",
    ),
    (
        T.AN,
        "FR",
        False,
        STD,
        True,
        "Pour un mineur, l'extrait d'acte de naissance ou le livret de famille doit être accompagné de la pièce "
        "d'identité d'un parent ou du tuteur (règle ID-05).",
    ),
    (
        T.ANCV,
        "FR",
        False,
        STD,
        True,
        "Ce document ne permet pas de valider l'identité d'un mineur dans ce contexte : l'extrait d'acte de "
        "naissance avec carte Vitale à photo est réservé aux mineurs de l'ASE (règle ID-05).",
    ),
]


@pytest.mark.parametrize(("doc", "country", "copy", "context", "minor", "reason"), REFUSALS)
def test_id02_id04_id05_id06_each_refusal_tells_the_agent_why_in_french(doc, country, copy, context, minor, reason):
    verdict = document_verdict(
        document_type=doc, issuing_country=country, is_copy=copy, context=context, holder_is_minor=minor
    )
    assert (verdict.can_validate, verdict.reason) == (False, reason)
