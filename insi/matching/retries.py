"""The back-office retries offered after 01, 02 or a discordance (INSI-07, INSI-08, INSI-11), pure.

Each retry is offered only when the traits sent make it possible and it could change INSi's answer:
- hyphen ↔ space and apostrophe ↔ space (INSI-07) for a name sent that holds that separator (a space may be
  a hyphen or an apostrophe on the document); after a discordance, only for the name INSi returned
  differently;
- without the birthplace (INSI-07) when one was sent, and INSi found nobody or someone born elsewhere;
- with the birthplace (INSI-07) when a discordant person was returned, born elsewhere than the known
  birthplace, which was not sent;
- on 02 (INSI-08), the narrowings the automatic strategy could not try, then the "x" of last resort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from insi.client import CR_FOUND, CR_MULTIPLE, CR_NOT_FOUND, ReturnedTraits, TraitsQuery, VitaleQuery
from insi.matching.outcome import Comparison, Outcome
from insi.matching.strategy import LocalTraits, known_birthplace

# (separator found in the value sent, the retry's kind, what it replaces)
SEPARATOR_SWAPS = (
    ("-", "hyphen_to_space", "les tirets par des espaces"),
    (" ", "space_to_hyphen", "les espaces par des tirets"),
    (" ", "space_to_apostrophe", "les espaces par des apostrophes"),
    ("'", "apostrophe_to_space", "les apostrophes par des espaces"),
)
CHECK_DOCUMENT = (
    "Vérifier les traits sur le justificatif d'identité (nom, prénoms, sexe, date de naissance), puis relancer."
)
RECHECK_WITH_PERSON = "Contrôler à nouveau le justificatif d'identité avec l'usager."
LATER = (
    "Personne née en France travaillant à l'étranger sans affiliation, ou nouveau-né pas encore déclaré : "
    "réessayer plus tard."
)
FILL_BIRTHPLACE = "Renseigner le lieu de naissance d'après le justificatif d'identité, puis relancer avec lui."
LAST_RESORT_X = (
    "En dernier recours, ajouter un « x » au prénom dans la requête seulement (les traits locaux ne changent pas)."
)


@dataclass(frozen=True)
class Retry:
    """A back-office retry the agent may try by hand: its rule, a stable code and the French text."""

    rule: str
    kind: str
    text: str


def _sent_names(local: LocalTraits, sent: Sequence[TraitsQuery | VitaleQuery]) -> list[tuple[str, str, str]]:
    """(trait, label, value) of every name sent; the joined first-name list, whose spaces part names, is left out."""
    names: dict[tuple[str, str], str] = {}
    for query in sent:
        names[("birth_name", query.birth_name)] = "Nom de naissance"
        if isinstance(query, TraitsQuery):
            joined_list = query.first_name == local.first_names and local.first_names != local.first_name
            if not joined_list:
                names[("first_name", query.first_name)] = "Prénom"
    return [(trait, label, value) for (trait, value), label in names.items() if value]


def _separator_retries(names: list[tuple[str, str, str]]) -> list[Retry]:
    return [
        Retry(
            "INSI-07",
            f"{kind}:{trait}",
            f"{label} « {value} » : relancer en remplaçant {swap}, selon le justificatif d'identité.",
        )
        for trait, label, value in names
        for separator, kind, swap in SEPARATOR_SWAPS
        if separator in value
    ]


def _sent_birthplace(sent: Sequence[TraitsQuery | VitaleQuery]) -> str:
    last = sent[-1] if sent else None
    return last.birthplace_cog if isinstance(last, TraitsQuery) else ""


def _without_birthplace(cr: str, sent_cog: str, returned: ReturnedTraits | None) -> list[Retry]:
    # RNIV INSI-07: dropping the birthplace helps only if it was sent and may be what kept the person out.
    if not sent_cog or (cr != CR_NOT_FOUND and (returned is None or returned.birthplace_cog == sent_cog)):
        return []
    text = f"Relancer sans le lieu de naissance : le code {sent_cog} envoyé peut différer de celui connu d'INSi."
    return [Retry("INSI-07", "without_birthplace", text)]


def _with_birthplace(local: LocalTraits, sent_cog: str, returned: ReturnedTraits | None) -> list[Retry]:
    # RNIV INSI-07: another person born elsewhere came back; the known birthplace, not sent, may single ours out.
    cog = known_birthplace(local)
    if not cog or sent_cog or returned is None or returned.birthplace_cog == cog:
        return []
    text = (
        f"Relancer avec le lieu de naissance ({cog}) : INSi a renvoyé une personne née ailleurs, peut-être un homonyme."
    )
    return [Retry("INSI-07", "with_birthplace", text)]


def _multiple_retries(local: LocalTraits, sent: Sequence[TraitsQuery | VitaleQuery]) -> list[Retry]:
    # RNIV INSI-08: the narrowings the strategy could not send, then the "x" of last resort.
    queries = [q for q in sent if isinstance(q, TraitsQuery)]
    cog = known_birthplace(local)
    # An empty birthplace may still be read on the document; 99999 says it is unknown (TR-06).
    birthplace_possible = bool(cog) or not local.birthplace_cog
    several_names = local.first_names != local.first_name
    retries = []
    if several_names and not any(q.first_name == local.first_names for q in queries):
        retries.append(
            Retry(
                "INSI-08", "all_first_names", f"Relancer avec tous les prénoms de naissance (« {local.first_names} »)."
            )
        )
    if birthplace_possible and not any(q.birthplace_cog for q in queries):
        if cog:
            retries.append(Retry("INSI-08", "with_birthplace", f"Relancer avec le lieu de naissance ({cog})."))
        else:
            retries.append(Retry("INSI-08", "fill_birthplace", FILL_BIRTHPLACE))
    both_sent = any(q.birthplace_cog and q.first_name == local.first_names for q in queries)
    if several_names and birthplace_possible and not both_sent:
        retries.append(
            Retry(
                "INSI-08", "all_first_names_and_birthplace", "Relancer avec tous les prénoms et le lieu de naissance."
            )
        )
    retries.append(Retry("INSI-08", "last_resort_x", LAST_RESORT_X))
    return retries


def suggested_retries(
    *,
    local: LocalTraits,
    sent: Sequence[TraitsQuery | VitaleQuery],
    cr: str,
    comparison: Comparison | None = None,
    returned: ReturnedTraits | None = None,
) -> tuple[Retry, ...]:
    """The retries that apply to the traits sent, after 01, 02 or a discordance; none otherwise."""
    sent_cog = _sent_birthplace(sent)
    if cr == CR_MULTIPLE:
        return tuple(_multiple_retries(local, sent))
    if cr == CR_NOT_FOUND:
        return (
            Retry("INSI-07", "check_document", CHECK_DOCUMENT),
            *_separator_retries(_sent_names(local, sent)),
            *_without_birthplace(cr, sent_cog, None),
            Retry("INSI-11", "retry_later", LATER),
        )
    if cr == CR_FOUND and comparison is not None and comparison.outcome == Outcome.DISCORDANT:
        differing = {d.trait for d in comparison.differences}
        names = [name for name in _sent_names(local, sent) if name[0] in differing]
        return (
            *_with_birthplace(local, sent_cog, returned),
            *_without_birthplace(cr, sent_cog, returned),
            *_separator_retries(names),
            Retry("INSI-07", "recheck_document", RECHECK_WITH_PERSON),
        )
    return ()


# Issue 12: the retries the screen can send itself (the others ask the agent to check or wait).
SWAPS = {
    "hyphen_to_space": ("-", " "),
    "space_to_hyphen": (" ", "-"),
    "space_to_apostrophe": (" ", "'"),
    "apostrophe_to_space": ("'", " "),
}
# RNIV INSI-08: the "x" of last resort goes in the request only, as one more word of the first name.
LAST_RESORT_SUFFIX = " X"


def retry_query(*, kind: str, sent: TraitsQuery, local: LocalTraits) -> TraitsQuery | None:
    """The traits query a retry sends, derived from the query it retries; None when it cannot be sent.

    The local traits never change: only the request does (INSI-07, INSI-08).
    """
    action, _, trait = kind.partition(":")
    if action in SWAPS and trait in ("birth_name", "first_name"):
        old, new = SWAPS[action]
        # The first name the retry names is the first one (a joined list's spaces part names, never swapped).
        value = local.first_name if trait == "first_name" else sent.birth_name
        return replace(sent, **{trait: value.replace(old, new)}) if old in value else None
    cog = known_birthplace(local)
    if kind == "without_birthplace":
        return replace(sent, birthplace_cog="") if sent.birthplace_cog else None
    if kind == "with_birthplace":
        return replace(sent, birthplace_cog=cog) if cog and sent.birthplace_cog != cog else None
    several = local.first_names and local.first_names != local.first_name
    if kind == "all_first_names":
        return replace(sent, first_name=local.first_names) if several else None
    if kind == "all_first_names_and_birthplace":
        return replace(sent, first_name=local.first_names, birthplace_cog=cog) if several and cog else None
    if kind == "last_resort_x":
        return replace(sent, first_name=f"{sent.first_name}{LAST_RESORT_SUFFIX}")
    return None
