"""What a referent reads about each INSi difference: trait, both values, rule, severity and explanation.

The referent decides on the differences shown on the proposal screen (INSI-03 to INSI-06, ST-08), so each one must
name the right trait with the local and the returned value, not only produce the right outcome.
"""

from datetime import date

import pytest

from insi.client import ReturnedIdentity, ReturnedIns, ReturnedTraits
from insi.matching import (
    Difference,
    LocalTraits,
    Outcome,
    PrecheckRefused,
    Severity,
    assess,
    check_returned_ins,
    compare_traits,
    compare_verification,
    precheck,
    valid_history,
)

NIR = "1.2.250.1.213.1.4.8"
GOOD = "272067505600335"
BAD_KEY = "181036322045660"

TOLERATED = "Écart toléré (tiret, apostrophe, espace ou accent) : la valeur renvoyée par INSi sera retenue."
COMPOSED = "Prénom composé : la liste renvoyée par INSi commence par ses mots ; écart toléré."
BIRTH_NAME_DIFFERS = "Le nom de naissance renvoyé diffère du nom local : l'INS ne peut pas être récupérée."
NO_FIRST_NAME = "INSi ne renvoie pas de premier prénom : l'INS ne peut pas être récupérée."
ANOTHER_LOCAL_FIRST_NAME = (
    "Le premier prénom renvoyé n'est pas le premier prénom local : l'INS ne peut pas être récupérée."
)
FIRST_NAME_DIFFERS = (
    "Le premier prénom renvoyé est différent (ou francisé) : discordance, l'INS ne peut pas être récupérée."
)
OTHER_FIRST_NAMES = (
    "Les autres prénoms diffèrent : un référent doit décider, avec une justification, avant la récupération."
)
SEX_DIFFERS = "Le sexe renvoyé diffère de la valeur locale : l'INS ne peut pas être récupérée."
# The returned date: "renvoyée", feminine (it read "renvoyé" before issue 8).
DATE_DIFFERS = "La date de naissance renvoyée diffère de la valeur locale : l'INS ne peut pas être récupérée."
COG_DIFFERS = (
    "Le lieu de naissance (COG) diffère : un référent doit décider, avec une justification "
    "(commune fusionnée, pays devenu indépendant...)."
)

T, D, X = Severity.TOLERATED, Severity.DECISION, Severity.DISCORDANT


def local(**kw) -> LocalTraits:
    base = {
        "birth_name": "DURAND",
        "first_name": "MARIE",
        "first_names": "MARIE",
        "sex": "F",
        "birth_date": date(1972, 6, 3),
        "birthplace_cog": "75056",
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


CASES = {
    "insi04_birth_name_separator": (
        {"birth_name": "LE-GALL"},
        {"birth_name": "LE GALL"},
        Outcome.MATCH,
        [Difference("birth_name", "LE-GALL", "LE GALL", "INSI-04", T, TOLERATED)],
    ),
    "insi04_first_name_and_list_separator": (
        {"first_name": "ANNE-SOPHIE", "first_names": "ANNE-SOPHIE CLAIRE"},
        {"first_name": "ANNE SOPHIE", "first_names": "ANNE SOPHIE CLAIRE"},
        Outcome.MATCH,
        [
            Difference("first_name", "ANNE-SOPHIE", "ANNE SOPHIE", "INSI-04", T, TOLERATED),
            Difference("first_names", "ANNE-SOPHIE CLAIRE", "ANNE SOPHIE CLAIRE", "INSI-04", T, TOLERATED),
        ],
    ),
    "insi04_composed_first_name_opens_the_list": (
        {"first_name": "JEAN-PIERRE", "first_names": "JEAN-PIERRE"},
        {"first_name": "JEAN", "first_names": "JEAN PIERRE"},
        Outcome.MATCH,
        [
            Difference("first_name", "JEAN-PIERRE", "JEAN", "INSI-04", T, COMPOSED),
            Difference("first_names", "JEAN-PIERRE", "JEAN PIERRE", "INSI-04", T, TOLERATED),
        ],
    ),
    "insi03_first_name_taken_from_the_list_when_insi_sends_none": (
        {"first_names": "MARIE LOUISE"},
        {"first_name": "", "first_names": "MARIE LOUISE"},
        Outcome.MATCH,
        [],
    ),
    "insi05_a_simple_local_first_name_is_not_the_start_of_a_composed_one": (
        {"first_name": "JEAN", "first_names": "JEAN"},
        {"first_name": "JEAN-LOUIS", "first_names": "JEAN-LOUIS"},
        Outcome.DISCORDANT,
        [
            Difference("first_name", "JEAN", "JEAN-LOUIS", "INSI-05", X, FIRST_NAME_DIFFERS),
        ],
    ),
    "insi03_birth_name_differs": (
        {},
        {"birth_name": "DURANT"},
        Outcome.DISCORDANT,
        [Difference("birth_name", "DURAND", "DURANT", "INSI-03", X, BIRTH_NAME_DIFFERS)],
    ),
    "insi03_no_first_name_returned": (
        {},
        {"first_name": "", "first_names": ""},
        Outcome.DISCORDANT,
        [Difference("first_name", "MARIE", "", "INSI-03", X, NO_FIRST_NAME)],
    ),
    "insi03_first_first_name_is_another_local_name": (
        {"first_name": "OLA", "first_names": "OLA CATARINA"},
        {"first_name": "CATARINA", "first_names": "CATARINA"},
        Outcome.DISCORDANT,
        [Difference("first_name", "OLA", "CATARINA", "INSI-03", X, ANOTHER_LOCAL_FIRST_NAME)],
    ),
    "insi05_francised_first_name": (
        {"first_name": "GIUSEPPE", "first_names": "GIUSEPPE"},
        {"first_name": "JOSEPH", "first_names": "JOSEPH"},
        Outcome.DISCORDANT,
        [Difference("first_name", "GIUSEPPE", "JOSEPH", "INSI-05", X, FIRST_NAME_DIFFERS)],
    ),
    "insi06_other_first_names": (
        {},
        {"first_names": "MARIE LOUISE"},
        Outcome.NEEDS_DECISION,
        [Difference("first_names", "MARIE", "MARIE LOUISE", "INSI-06", D, OTHER_FIRST_NAMES)],
    ),
    "insi03_sex": ({}, {"sex": "M"}, Outcome.DISCORDANT, [Difference("sex", "F", "M", "INSI-03", X, SEX_DIFFERS)]),
    "insi03_birth_date": (
        {},
        {"birth_date": "1972-06-04"},
        Outcome.DISCORDANT,
        [Difference("birth_date", "1972-06-03", "1972-06-04", "INSI-03", X, DATE_DIFFERS)],
    ),
    "insi06_cog": (
        {},
        {"birthplace_cog": "75120"},
        Outcome.NEEDS_DECISION,
        [Difference("birthplace_cog", "75056", "75120", "INSI-06", D, COG_DIFFERS)],
    ),
    "tr06_unknown_local_birthplace_takes_the_returned_one": ({"birthplace_cog": "99999"}, {}, Outcome.MATCH, []),
    "tr06_empty_local_birthplace_takes_the_returned_one": ({"birthplace_cog": ""}, {}, Outcome.MATCH, []),
    "insi03_every_trait_is_reported": (
        {"birthplace_cog": "75120"},
        {"birth_name": "DURANT", "sex": "M", "birth_date": "1972-06-04"},
        Outcome.DISCORDANT,
        [
            Difference("birth_name", "DURAND", "DURANT", "INSI-03", X, BIRTH_NAME_DIFFERS),
            Difference("sex", "F", "M", "INSI-03", X, SEX_DIFFERS),
            Difference("birth_date", "1972-06-03", "1972-06-04", "INSI-03", X, DATE_DIFFERS),
            Difference("birthplace_cog", "75120", "75056", "INSI-06", D, COG_DIFFERS),
        ],
    ),
}


@pytest.mark.parametrize(("local_kw", "returned_kw", "outcome", "differences"), CASES.values(), ids=CASES.keys())
def test_insi03_to_insi06_each_difference_names_the_trait_both_values_and_the_rule(
    local_kw, returned_kw, outcome, differences
):
    comparison = compare_traits(local(**local_kw), returned(**returned_kw))
    assert comparison.outcome == outcome
    assert list(comparison.differences) == differences


@pytest.mark.parametrize(
    ("trait", "returned_kw", "local_value", "returned_value", "label"),
    [
        ("birth_name", {"birth_name": "DURAND-LEROY"}, "DURAND", "DURAND-LEROY", "Nom de naissance"),
        ("first_name", {"first_name": "MARIA"}, "MARIE", "MARIA", "Premier prénom de naissance"),
        ("first_names", {"first_names": "MARIE ANNE"}, "MARIE", "MARIE ANNE", "Liste des prénoms de naissance"),
        ("sex", {"sex": "M"}, "F", "M", "Sexe"),
        ("birth_date", {"birth_date": "1972-06-13"}, "1972-06-03", "1972-06-13", "Date de naissance"),
        ("birthplace_cog", {"birthplace_cog": "75120"}, "75056", "75120", "Lieu de naissance (COG)"),
    ],
)
def test_st08_a_verification_names_each_trait_that_changed(trait, returned_kw, local_value, returned_value, label):
    identity = ReturnedIdentity(ReturnedIns(GOOD, NIR), returned(**returned_kw))
    result = compare_verification(matricule=GOOD, oid=NIR, stored=local(), identity=identity)
    explanation = f"{label} : la valeur renvoyée par INSi n'est plus celle de l'INS enregistrée."
    assert result.outcome == Outcome.DISCORDANT
    assert list(result.differences) == [Difference(trait, local_value, returned_value, "ST-08", X, explanation)]


def test_st08_a_verification_names_a_changed_matricule_and_oid():
    other_oid = "1.2.250.1.213.1.4.10"
    identity = ReturnedIdentity(ReturnedIns("275126322074974", other_oid), returned())
    result = compare_verification(matricule=GOOD, oid=NIR, stored=local(), identity=identity)
    assert [(d.trait, d.local, d.returned, d.rule) for d in result.differences] == [
        ("ins_matricule", GOOD, "275126322074974", "ST-08"),
        ("ins_oid", NIR, other_oid, "ST-08"),
    ]
    assert result.differences[1].explanation.startswith("OID de l'INS : ")


def test_tr10_a_returned_matricule_with_a_bad_key_is_refused_naming_it():
    [difference] = check_returned_ins(ReturnedIns(BAD_KEY, NIR))
    assert difference == Difference(
        "ins_matricule",
        "",
        BAD_KEY,
        "TR-10",
        X,
        "La clé du matricule INS est invalide ou son format est incorrect (règle TR-10).",
    )
    assert check_returned_ins(ReturnedIns(GOOD, NIR)) == []
    comparison = assess(local(), ReturnedIdentity(ReturnedIns(BAD_KEY, NIR), returned()))
    assert comparison.outcome == Outcome.INS_REFUSED  # its own outcome since issue 8 item 15
    assert comparison.differences == (difference,)


def test_insi09_only_earlier_matricules_with_a_valid_key_are_kept_in_order():
    first, bad, second = ReturnedIns(GOOD, NIR), ReturnedIns(BAD_KEY, NIR), ReturnedIns("275126322074974", NIR)
    assert valid_history((first, bad, second)) == (first, second)
    assert valid_history(()) == ()


@pytest.mark.parametrize("sex", ["U", "m", "f", ""])
def test_tr01_an_unknown_or_badly_typed_sex_is_never_sent(sex):
    with pytest.raises(PrecheckRefused) as excinfo:
        precheck(local(sex=sex))
    assert excinfo.value.rule == "TR-01"
    assert excinfo.value.message == (
        "Le sexe est inconnu : renseignez-le avant d'interroger INSi (le sexe U n'est jamais envoyé)."
    )
    assert str(excinfo.value) == excinfo.value.message


@pytest.mark.parametrize(("flag"), ["doubtful", "fictitious"])
def test_st03_a_doubtful_or_fictitious_identity_is_never_searched(flag):
    with pytest.raises(PrecheckRefused) as excinfo:
        precheck(local(**{flag: True}))
    assert (excinfo.value.rule, excinfo.value.message) == (
        "ST-03",
        "Une identité douteuse ou fictive ne peut pas être recherchée dans INSi (règle ST-03).",
    )


@pytest.mark.parametrize(
    ("traits", "label"),
    [
        ({"birth_name": "DURAND2"}, "Le nom de naissance"),
        ({"first_name": "MARIE2"}, "Le premier prénom de naissance"),
        ({"first_names": "MARIE 2"}, "La liste des prénoms"),
    ],
)
def test_tr03_a_refused_trait_is_named_in_the_message(traits, label):
    with pytest.raises(PrecheckRefused) as excinfo:
        precheck(local(**traits))
    assert excinfo.value.rule == "TR-03"
    assert excinfo.value.message.startswith(f"{label} contient des caractères interdits : « 2 »")


def test_tr03_precheck_sends_the_normalised_traits_and_reports_each_transliteration_once():
    sendable = precheck(local(birth_name="Lætitia-d’Œ", first_name="zoé", first_names="zoé  anne-lætitia"))
    assert (sendable.traits.birth_name, sendable.traits.first_name, sendable.traits.first_names) == (
        "LAETITIA-D'OE",
        "ZOE",
        "ZOE ANNE-LAETITIA",
    )
    assert sendable.warnings == (
        "« æ » a été remplacé par « AE » (règle TR-03).",
        "« Œ » a été remplacé par « OE » (règle TR-03).",
        "« ’ » a été remplacé par « ' » (règle TR-03).",
    )
