"""Score two identities as a possible duplicate, trait by trait (pure, no I/O): RNIV ST-11, AUD-05.

The score is a weighted mean of per-trait similarities (0 to 1). Each trait says how it compared, as a
stable code (API) with a French label (screens). Two thresholds split the pairs: a probable duplicate
at or above ``HIGH``, a possible one between ``LOW`` and ``HIGH``.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import Indel, JaroWinkler

from patients.traits import search_key

HIGH = 0.90
LOW = 0.80
UNKNOWN_BIRTHPLACE = "99999"  # RNIV TR-06: says nothing about the person

WEIGHTS = {"name": 0.45, "first_names": 0.30, "birth_date": 0.15, "sex": 0.05, "birthplace": 0.05}


class MatchClass(StrEnum):
    PROBABLE = "PROBABLE"
    POSSIBLE = "POSSIBLE"


class Outcome(StrEnum):
    EXACT = "EXACT"
    SEPARATORS = "SEPARATORS"  # equal once hyphens, spaces and apostrophes are ignored (TR-05)
    USED_NAME = "USED_NAME"  # one side's birth name is the other's used name
    CLOSE = "CLOSE"  # a typo or two
    PHONETIC = "PHONETIC"
    SUBSET = "SUBSET"  # one list of first names is the start of the other
    SWAPPED = "SWAPPED"  # day and month swapped
    UNKNOWN = "UNKNOWN"  # missing on one side: not counted
    DIFFERENT = "DIFFERENT"
    SAME_INS = "SAME_INS"
    OTHER_INS = "OTHER_INS"


TRAIT_LABELS = {
    "name": "Nom",
    "first_names": "Prénoms",
    "birth_date": "Date de naissance",
    "sex": "Sexe",
    "birthplace": "Lieu de naissance",
    "ins": "Matricule INS",
}
OUTCOME_LABELS = {
    Outcome.EXACT: "identique",
    Outcome.SEPARATORS: "identique aux tirets, espaces ou apostrophes près",
    Outcome.USED_NAME: "nom de naissance saisi à la place du nom utilisé (ou l'inverse)",
    Outcome.CLOSE: "proche (faute de frappe probable)",
    Outcome.PHONETIC: "même prononciation",
    Outcome.SUBSET: "un prénom manque d'un côté",
    Outcome.SWAPPED: "jour et mois inversés",
    Outcome.UNKNOWN: "inconnu d'un côté",
    Outcome.DIFFERENT: "différent",
    Outcome.SAME_INS: "même matricule INS (règle ST-11)",
    Outcome.OTHER_INS: "matricules INS différents",
}
CLASS_LABELS = {MatchClass.PROBABLE: "Doublon probable", MatchClass.POSSIBLE: "Doublon possible"}


@dataclass(frozen=True)
class Traits:
    """The traits compared; names as stored (TR-03), first names as the space-separated list."""

    birth_name: str
    first_names: str
    sex: str
    birth_date: date
    birthplace_cog: str = ""
    used_name: str = ""
    ins: str = ""


@dataclass(frozen=True)
class TraitComparison:
    trait: str
    outcome: Outcome
    similarity: float

    @property
    def label(self) -> str:
        return f"{TRAIT_LABELS[self.trait]} : {OUTCOME_LABELS[self.outcome]}"

    @property
    def differs(self) -> bool:
        return self.outcome not in (Outcome.EXACT, Outcome.UNKNOWN, Outcome.SAME_INS)


@dataclass(frozen=True)
class MatchScore:
    score: float
    match_class: MatchClass | None
    comparisons: tuple[TraitComparison, ...]

    @property
    def codes(self) -> dict[str, str]:
        return {c.trait: c.outcome.value for c in self.comparisons}

    @property
    def explanation(self) -> list[str]:
        return [c.label for c in self.comparisons]


_FRENCH_SOUNDS = [("PH", "F"), ("TH", "T"), ("EAU", "O"), ("AU", "O"), ("Y", "I"), ("W", "V"), ("CK", "K")]


@lru_cache(maxsize=65536)
def phonetic_key(text: str) -> str:
    """A phonetic key of a name: a few French spellings folded, then NYSIIS (jellyfish).

    Cached: names repeat (issue 10: a search ranks hundreds of rows, a scan millions of pairs).
    """
    key = search_key(text)
    for source, target in _FRENCH_SOUNDS:
        key = key.replace(source, target)
    key = re.sub(r"(.)\1+", r"\1", key)
    return jellyfish.nysiis(key) if key else ""


def similarity(a: str, b: str) -> float:
    """String similarity of two keys: the better of Indel (typos anywhere) and Jaro-Winkler (short names)."""
    if not a or not b:
        return 0.0
    return max(Indel.normalized_similarity(a, b), JaroWinkler.similarity(a, b) - 0.05)


def _graded(a: str, b: str) -> tuple[Outcome, float]:
    ka, kb = search_key(a), search_key(b)
    if a == b:
        return Outcome.EXACT, 1.0
    if ka == kb:
        return Outcome.SEPARATORS, 1.0
    sim = similarity(ka, kb)
    if phonetic_key(a) == phonetic_key(b):
        return Outcome.PHONETIC, max(sim, 0.92)
    return (Outcome.CLOSE if sim >= 0.8 else Outcome.DIFFERENT), sim


def compare_names(a: Traits, b: Traits) -> TraitComparison:
    """Birth names, and each birth name against the other side's used name (a leading cause of duplicates)."""
    outcome, sim = _graded(a.birth_name, b.birth_name)
    if sim < 1.0:
        crossed = [(x, y) for x, y in ((a.birth_name, b.used_name), (a.used_name, b.birth_name)) if x and y]
        for x, y in crossed:
            _, cross_sim = _graded(x, y)
            if cross_sim * 0.98 > sim:
                outcome, sim = Outcome.USED_NAME, cross_sim * 0.98
    return TraitComparison("name", outcome, sim)


def compare_first_names(a: Traits, b: Traits) -> TraitComparison:
    """The first first name, and the overlap of the two lists (a second first name is often left out)."""
    la, lb = a.first_names.split(), b.first_names.split()
    if not la or not lb:
        return TraitComparison("first_names", Outcome.UNKNOWN, 0.0)
    if la == lb:
        return TraitComparison("first_names", Outcome.EXACT, 1.0)
    if search_key(a.first_names) == search_key(b.first_names):
        return TraitComparison("first_names", Outcome.SEPARATORS, 1.0)
    shorter, longer = sorted((la, lb), key=len)
    if longer[: len(shorter)] == shorter:
        return TraitComparison("first_names", Outcome.SUBSET, 0.95)
    outcome, sim = _graded(la[0], lb[0])
    overlap = len(set(la) & set(lb)) / max(len(la), len(lb))
    if outcome == Outcome.EXACT:  # same first first name, other names differ
        return TraitComparison("first_names", Outcome.SUBSET, 0.85 + 0.1 * overlap)
    return TraitComparison("first_names", outcome, sim)


def swapped(day: date) -> date | None:
    """The date with day and month swapped, when that is another valid date."""
    if day.day == day.month or day.day > 12:
        return None
    return day.replace(day=day.month, month=day.day)


def compare_birth_dates(a: Traits, b: Traits) -> TraitComparison:
    if a.birth_date == b.birth_date:
        return TraitComparison("birth_date", Outcome.EXACT, 1.0)
    if swapped(a.birth_date) == b.birth_date:
        return TraitComparison("birth_date", Outcome.SWAPPED, 0.85)
    return TraitComparison("birth_date", Outcome.DIFFERENT, 0.0)


def compare_sex(a: Traits, b: Traits) -> TraitComparison:
    if "U" in (a.sex, b.sex):
        return TraitComparison("sex", Outcome.UNKNOWN, 0.0)
    return TraitComparison("sex", *((Outcome.EXACT, 1.0) if a.sex == b.sex else (Outcome.DIFFERENT, 0.0)))


def compare_birthplaces(a: Traits, b: Traits) -> TraitComparison:
    known = {UNKNOWN_BIRTHPLACE, ""}
    if a.birthplace_cog in known or b.birthplace_cog in known:
        return TraitComparison("birthplace", Outcome.UNKNOWN, 0.0)
    same = a.birthplace_cog == b.birthplace_cog
    return TraitComparison("birthplace", *((Outcome.EXACT, 1.0) if same else (Outcome.DIFFERENT, 0.0)))


def classify(score: float) -> MatchClass | None:
    if score >= HIGH:
        return MatchClass.PROBABLE
    if score >= LOW:
        return MatchClass.POSSIBLE
    return None


def score_pair(a: Traits, b: Traits) -> MatchScore:
    """Compare two identities trait by trait and classify the pair (ST-11: one INS is one person)."""
    comparisons = [
        compare_names(a, b),
        compare_first_names(a, b),
        compare_birth_dates(a, b),
        compare_sex(a, b),
        compare_birthplaces(a, b),
    ]
    counted = [c for c in comparisons if c.outcome != Outcome.UNKNOWN]
    total = sum(WEIGHTS[c.trait] for c in counted)
    score = sum(WEIGHTS[c.trait] * c.similarity for c in counted) / total if total else 0.0
    if a.ins and b.ins:
        # RNIV ST-11: the same INS is the same person; two different INS are two people.
        same = a.ins == b.ins
        comparisons.append(TraitComparison("ins", Outcome.SAME_INS if same else Outcome.OTHER_INS, float(same)))
        score = 1.0 if same else min(score, LOW - 0.01)
    score = round(score, 4)
    return MatchScore(score, classify(score), tuple(comparisons))
