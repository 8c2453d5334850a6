"""Pre-checks and the search strategy of an INSi call (pure: no queries, no I/O).

Pre-checks before any call (INSI-01, TR-03, ST-03, sex U), the strategy of INSI.md (first name, each other
first name, all together; on 02 the birthplace then all names, INSI-08; no birthplace first, TR-06), as a
plan the service steps through. The back-office retries are in ``retries``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from insi.client import CR_FOUND, CR_MULTIPLE, InsiResult, TraitsQuery
from patients.traits import UNKNOWN_BIRTHPLACE, TraitError, normalize_first_names, normalize_trait


@dataclass(frozen=True)
class LocalTraits:
    """The local strict traits and the attributes that decide whether INSi may be called."""

    birth_name: str
    first_name: str
    first_names: str
    sex: str
    birth_date: date
    birthplace_cog: str = ""
    doubtful: bool = False
    fictitious: bool = False


class PrecheckRefused(Exception):
    """The call is refused locally, before any network traffic; ``rule`` names the RNIV rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Sendable:
    """Traits cleared for sending, and the French notes about what was transliterated (TR-03)."""

    traits: LocalTraits
    warnings: tuple[str, ...] = ()


def precheck(local: LocalTraits) -> Sendable:
    """Check that INSi may be called with these traits, or raise PrecheckRefused."""
    # RNIV ST-03: no call for a doubtful or fictitious identity.
    if local.doubtful or local.fictitious:
        raise PrecheckRefused(
            "ST-03", "Une identité douteuse ou fictive ne peut pas être recherchée dans INSi (règle ST-03)."
        )
    # RNIV TR-01: the unknown sex U is never sent.
    if local.sex not in ("M", "F"):
        raise PrecheckRefused(
            "TR-01", "Le sexe est inconnu : renseignez-le avant d'interroger INSi (le sexe U n'est jamais envoyé)."
        )
    # RNIV INSI-01, TR-03: lower case, diacritics, Æ, Œ and ’ never reach INSi.
    warnings: list[str] = []
    try:
        birth_name = normalize_trait(local.birth_name, label="Le nom de naissance")
        first_name = normalize_trait(local.first_name, label="Le premier prénom de naissance")
        first_names = normalize_first_names(local.first_names or local.first_name, label="La liste des prénoms")
    except TraitError as exc:
        raise PrecheckRefused("TR-03", exc.message) from exc
    for result in (birth_name, first_name, first_names):
        warnings.extend(result.warnings)
    clean = replace(local, birth_name=birth_name.value, first_name=first_name.value, first_names=first_names.value)
    return Sendable(clean, tuple(dict.fromkeys(warnings)))


def first_name_words(text: str) -> list[str]:
    return [w for w in re.split(r"[ \-]", text or "") if w]


def _other_first_names(first_name: str, first_names: str) -> list[str]:
    """The first names of the list after the (possibly composed) first first name."""
    names = (first_names or "").split()
    head = first_name.split()
    if names[: len(head)] == head:
        return names[len(head) :]
    return [n for n in names if n != first_name]


def known_birthplace(traits: LocalTraits) -> str:
    # RNIV TR-06: an unknown birthplace (99999) is never sent.
    return "" if traits.birthplace_cog in ("", UNKNOWN_BIRTHPLACE) else traits.birthplace_cog


def _query(traits: LocalTraits, first_name: str, birthplace: str = "") -> TraitsQuery:
    return TraitsQuery(traits.birth_name, first_name, traits.sex, traits.birth_date.isoformat(), birthplace)


def initial_queries(sendable: Sendable) -> list[TraitsQuery]:
    """First name, then each other first name, then all together; no birthplace yet (INSI.md, TR-06)."""
    traits = sendable.traits
    attempts = [traits.first_name, *_other_first_names(traits.first_name, traits.first_names), traits.first_names]
    return [_query(traits, name) for name in dict.fromkeys(a for a in attempts if a)]


def queries_after_multiple(sendable: Sendable, query: TraitsQuery) -> list[TraitsQuery]:
    """On 02: add the birthplace, then all the first names, then both (INSI.md, RULES INSI-08)."""
    traits = sendable.traits
    birthplace = known_birthplace(traits)
    candidates = []
    if birthplace and not query.birthplace_cog:
        candidates.append(replace(query, birthplace_cog=birthplace))
    candidates.append(_query(traits, traits.first_names))
    if birthplace:
        candidates.append(_query(traits, traits.first_names, birthplace))
    return [q for q in dict.fromkeys(candidates) if q != query]


@dataclass(frozen=True)
class SearchPlan:
    """The strategy as a plan the service steps through: ask ``next_query``, send it, ``record`` its CR.

    Immutable: ``record`` returns the next plan. It never sends anything, so the service owns the calls.
    """

    sendable: Sendable
    pending: tuple[TraitsQuery, ...]
    attempts: tuple[tuple[TraitsQuery, str], ...] = ()
    narrowed: bool = False

    @classmethod
    def start(cls, sendable: Sendable) -> SearchPlan:
        return cls(sendable, tuple(initial_queries(sendable)))

    @property
    def found(self) -> bool:
        return any(cr == CR_FOUND for _, cr in self.attempts)

    def next_query(self) -> TraitsQuery | None:
        """The next query to send, or None when the search is over (first 00, or nothing left to try)."""
        if self.found:
            return None
        tried = {query for query, _ in self.attempts}
        return next((query for query in self.pending if query not in tried), None)

    def record(self, query: TraitsQuery, cr: str) -> SearchPlan:
        """The plan after ``query`` was answered with ``cr``."""
        attempts = (*self.attempts, (query, cr))
        if cr == CR_MULTIPLE and not self.narrowed:
            # RNIV INSI-08: several identities, so narrow the request instead of trying other names alone.
            return replace(
                self, pending=tuple(queries_after_multiple(self.sendable, query)), attempts=attempts, narrowed=True
            )
        return replace(self, pending=tuple(q for q in self.pending if q != query), attempts=attempts)

    @property
    def deciding(self) -> int:
        """The index of the attempt whose answer decides: the 00, else the last 02, else the last one.

        "Several identities" is more useful to the agent than a later "none" on a narrower request.
        """
        if not self.attempts:
            raise ValueError("no query was answered")
        crs = [cr for _, cr in self.attempts]
        for wanted in (CR_FOUND, CR_MULTIPLE):
            if wanted in crs:
                return len(crs) - 1 - crs[::-1].index(wanted)
        return len(crs) - 1


def max_queries(sendable: Sendable) -> int:
    """The most queries one search can send: the initial ones, then at most three narrowings (INSI-08)."""
    return len(initial_queries(sendable)) + 3


@dataclass(frozen=True)
class SearchRun:
    """What a driven plan ended with: the deciding answer and every (query, CR) tried, in order."""

    result: InsiResult
    attempts: tuple[tuple[TraitsQuery, str], ...]

    @property
    def cr(self) -> str:
        return self.result.cr


def run_search(sendable: Sendable, send: Callable[[TraitsQuery], InsiResult]) -> SearchRun:
    """Drive a plan with ``send``, a stand-in for INSi; for tests and tools (the services step through the plan)."""
    plan = SearchPlan.start(sendable)
    results: list[InsiResult] = []
    while (query := plan.next_query()) is not None:
        results.append(send(query))
        plan = plan.record(query, results[-1].cr)
    return SearchRun(results[plan.deciding], plan.attempts)
