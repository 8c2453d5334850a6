"""Compare what INSi returned with the local identity (pure): TR-10, TR-12, INSI-03 to INSI-07, ST-08."""

from __future__ import annotations

from insi.client import ReturnedIdentity, ReturnedIns, ReturnedTraits
from insi.matching.outcome import Comparison, Difference, Outcome, Severity, combine
from insi.matching.strategy import LocalTraits, first_name_words
from patients.ins import InsError, validate_ins
from patients.traits import UNKNOWN_BIRTHPLACE, search_key

TRAIT_LABELS = {
    "ins_matricule": "Matricule INS",
    "ins_oid": "OID de l'INS",
    "birth_name": "Nom de naissance",
    "first_name": "Premier prénom de naissance",
    "first_names": "Liste des prénoms de naissance",
    "sex": "Sexe",
    "birth_date": "Date de naissance",
    "birthplace_cog": "Lieu de naissance (COG)",
}


def _diff(trait: str, local: str, returned: str, rule: str, severity: Severity, explanation: str) -> Difference:
    return Difference(trait, local, returned, rule, severity, explanation)


def check_returned_ins(ins: ReturnedIns) -> list[Difference]:
    """Refuse a returned matricule whose key, OID or AME status forbids storing it (TR-10, TR-12, TR-14)."""
    try:
        validate_ins(ins.matricule, ins.oid)
    except InsError as exc:
        return [_diff("ins_matricule", "", ins.matricule, exc.rule, Severity.DISCORDANT, exc.message)]
    return []


def valid_history(history: tuple[ReturnedIns, ...]) -> tuple[ReturnedIns, ...]:
    """Keep the earlier matricules that pass TR-10 (a bad one is never stored)."""
    return tuple(item for item in history if not check_returned_ins(item))


def _tolerated(trait: str, local: str, returned: str) -> Difference:
    # RNIV INSI-04: hyphen, apostrophe and space variants and diacritics are not discordances.
    return _diff(
        trait,
        local,
        returned,
        "INSI-04",
        Severity.TOLERATED,
        "Écart toléré (tiret, apostrophe, espace ou accent) : la valeur renvoyée par INSi sera retenue.",
    )


def _compare_birth_name(local: LocalTraits, returned: ReturnedTraits) -> list[Difference]:
    if not returned.birth_name or search_key(local.birth_name) != search_key(returned.birth_name):
        # RNIV INSI-03
        return [
            _diff(
                "birth_name",
                local.birth_name,
                returned.birth_name,
                "INSI-03",
                Severity.DISCORDANT,
                "Le nom de naissance renvoyé diffère du nom local : l'INS ne peut pas être récupérée.",
            )
        ]
    return (
        [_tolerated("birth_name", local.birth_name, returned.birth_name)]
        if local.birth_name != returned.birth_name
        else []
    )


def _compare_first_names(local: LocalTraits, returned: ReturnedTraits) -> list[Difference]:
    returned_first = returned.first_name or (returned.first_names.split(" ")[0] if returned.first_names else "")
    local_words = [search_key(w) for w in first_name_words(local.first_name)]
    returned_words = [search_key(w) for w in first_name_words(returned.first_names)]
    if not returned_first:
        return [
            _diff(
                "first_name",
                local.first_name,
                "",
                "INSI-03",
                Severity.DISCORDANT,
                "INSi ne renvoie pas de premier prénom : l'INS ne peut pas être récupérée.",
            )
        ]
    differences: list[Difference] = []
    if search_key(local.first_name) == search_key(returned_first):
        if local.first_name != returned_first:
            differences.append(_tolerated("first_name", local.first_name, returned_first))
    elif len(local_words) > 1 and returned_words[: len(local_words)] == local_words:
        # RNIV INSI-04 (TR-04): a composed first first name matches a list opening with its words.
        differences.append(
            _diff(
                "first_name",
                local.first_name,
                returned_first,
                "INSI-04",
                Severity.TOLERATED,
                "Prénom composé : la liste renvoyée par INSi commence par ses mots ; écart toléré.",
            )
        )
    elif search_key(returned_first) in [search_key(w) for w in local.first_names.split()]:
        # RNIV INSI-03: the returned first first name is another of the local first names.
        return [
            _diff(
                "first_name",
                local.first_name,
                returned_first,
                "INSI-03",
                Severity.DISCORDANT,
                "Le premier prénom renvoyé n'est pas le premier prénom local : l'INS ne peut pas être récupérée.",
            )
        ]
    else:
        # RNIV INSI-05: a francised or entirely different first first name.
        return [
            _diff(
                "first_name",
                local.first_name,
                returned_first,
                "INSI-05",
                Severity.DISCORDANT,
                "Le premier prénom renvoyé est différent (ou francisé) : discordance, l'INS ne peut pas "
                "être récupérée.",
            )
        ]
    if search_key(local.first_names) != search_key(returned.first_names):
        # RNIV INSI-06: other first names differ; a referent decides.
        differences.append(
            _diff(
                "first_names",
                local.first_names,
                returned.first_names,
                "INSI-06",
                Severity.DECISION,
                "Les autres prénoms diffèrent : un référent doit décider, avec une justification, avant "
                "la récupération.",
            )
        )
    elif local.first_names != returned.first_names:
        differences.append(_tolerated("first_names", local.first_names, returned.first_names))
    return differences


def _compare_exact(trait: str, local: str, returned: str, label: str) -> list[Difference]:
    if local == returned:
        return []
    # RNIV INSI-03
    return [
        _diff(
            trait,
            local,
            returned,
            "INSI-03",
            Severity.DISCORDANT,
            f"{label} diffère de la valeur locale : l'INS ne peut pas être récupérée.",
        )
    ]


def _compare_birthplace(local: LocalTraits, returned: ReturnedTraits) -> list[Difference]:
    # RNIV TR-06, TR-13: an unknown local birthplace takes the returned COG, even one unknown locally.
    if local.birthplace_cog in ("", UNKNOWN_BIRTHPLACE) or local.birthplace_cog == returned.birthplace_cog:
        return []
    # RNIV INSI-06: a COG difference is a back-office decision.
    return [
        _diff(
            "birthplace_cog",
            local.birthplace_cog,
            returned.birthplace_cog,
            "INSI-06",
            Severity.DECISION,
            "Le lieu de naissance (COG) diffère : un référent doit décider, avec une justification "
            "(commune fusionnée, pays devenu indépendant...).",
        )
    ]


def compare_traits(local: LocalTraits, returned: ReturnedTraits) -> Comparison:
    """Compare the returned INS traits with the local ones: MATCH, NEEDS_DECISION or DISCORDANT."""
    differences = [
        *_compare_birth_name(local, returned),
        *_compare_first_names(local, returned),
        *_compare_exact("sex", local.sex, returned.sex, "Le sexe renvoyé"),
        *_compare_exact(
            "birth_date", local.birth_date.isoformat(), returned.birth_date, "La date de naissance renvoyée"
        ),
        *_compare_birthplace(local, returned),
    ]
    return combine(differences)


def assess(local: LocalTraits, identity: ReturnedIdentity) -> Comparison:
    """Check the returned INS (TR-10, TR-12) and compare its traits, before anything is retrieved."""
    ins_problems = check_returned_ins(identity.ins)
    comparison = combine([*ins_problems, *compare_traits(local, identity.traits).differences])
    # RNIV TR-10, TR-12, TR-14: a matricule that can never be an INS is refused whatever the traits say; its
    # own outcome tells the caller that no retry and no referent decision can retrieve it.
    return Comparison(Outcome.INS_REFUSED, comparison.differences) if ins_problems else comparison


def compare_verification(*, matricule: str, oid: str, stored: LocalTraits, identity: ReturnedIdentity) -> Comparison:
    """RNIV ST-08: the stored INS must come back identical (matricule, OID and traits), else DISCORDANT."""
    pairs = [
        ("ins_matricule", matricule, identity.ins.matricule),
        ("ins_oid", oid, identity.ins.oid),
        ("birth_name", stored.birth_name, identity.traits.birth_name),
        ("first_name", stored.first_name, identity.traits.first_name),
        ("first_names", stored.first_names, identity.traits.first_names),
        ("sex", stored.sex, identity.traits.sex),
        ("birth_date", stored.birth_date.isoformat(), identity.traits.birth_date),
        ("birthplace_cog", stored.birthplace_cog, identity.traits.birthplace_cog),
    ]
    differences = [
        # RNIV TR-10, TR-12: a returned matricule that can never be an INS is flagged as such, so a referent is
        # not offered to accept it.
        *check_returned_ins(identity.ins),
        *(
            _diff(
                trait,
                local,
                returned,
                "ST-08",
                Severity.DISCORDANT,
                f"{TRAIT_LABELS[trait]} : la valeur renvoyée par INSi n'est plus celle de l'INS enregistrée.",
            )
            for trait, local, returned in pairs
            if local != returned
        ),
    ]
    return Comparison(Outcome.DISCORDANT if differences else Outcome.MATCH, tuple(differences))
