"""Search that forgives typing (RNIV TR-05 and beyond): read the box, rank the identities (pure, no I/O).

The box takes any mix of name words, first names, a birth date (JJ/MM/AAAA) and a matricule INS. Each
word must match a name or first name of the identity, exactly, with a typo or two, or by sound; a
typed date matches the birth date or the same with day and month swapped. Exact matches rank first.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Any

from patients.duplicates.scoring import phonetic_key, similarity, swapped
from patients.ipp import looks_like_ipp
from patients.traits import search_key

DATE_TOKEN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{2})(\d{2})(\d{4})$")
INS_CHARS = set("0123456789AB")
WORD_THRESHOLD = 0.75


@dataclass
class SearchQuery:
    """What the agent typed, sorted by kind of token."""

    words: list[str] = field(default_factory=list)  # name or first-name words, as search keys
    birth_dates: list[date] = field(default_factory=list)
    ins: str = ""
    ipp: str = ""
    invalid: list[str] = field(default_factory=list)  # tokens that look like a date or a number but are not

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.birth_dates or self.ins or self.ipp)


def parse_date(token: str) -> date | bool | None:
    """A date typed JJ/MM/AAAA (or with - or .), or JJMMAAAA; False when it looks like one but is not."""
    found = DATE_TOKEN.match(token)
    if not found:
        return None
    day, month, year = [int(g) for g in found.groups() if g is not None]
    try:
        return date(year, month, day)
    except ValueError:
        return False


def classify_ins(token: str) -> str | None:
    compact = token.upper()
    return compact if len(compact) == 15 and set(compact) <= INS_CHARS else None


def classify_ipp(token: str) -> str | None:
    """The local patient number (issue 9, IPP) when ``token`` is one: digits ending with their Luhn key."""
    return looks_like_ipp(token)


TokenRule = Callable[[str, SearchQuery], bool]


def _as_ins(token: str, query: SearchQuery) -> bool:
    found = classify_ins(token)
    if found:
        query.ins = found
    return bool(found)


def _as_date(token: str, query: SearchQuery) -> bool:
    parsed = parse_date(token)
    if parsed is None:
        return False
    if parsed is False:
        query.invalid.append(token)
    else:
        query.birth_dates.append(parsed)
    return True


def _as_ipp(token: str, query: SearchQuery) -> bool:
    """An IPP; eight digits can also be a date (JJMMAAAA): then it is searched as both."""
    found = classify_ipp(token)
    if found:
        query.ipp = found
        parsed = parse_date(token)
        if parsed:
            query.birth_dates.append(parsed)
    return bool(found)


def _as_word(token: str, query: SearchQuery) -> bool:
    if any(ch.isdigit() for ch in token):
        query.invalid.append(token)
        return True
    query.words.extend(k for k in (search_key(part) for part in re.split(r"[-' ]", token)) if k)
    return True


# In this order: the first rule that takes a token decides what it is.
TOKEN_RULES: list[TokenRule] = [_as_ins, _as_ipp, _as_date, _as_word]


def classify_tokens(text: str) -> SearchQuery:
    """Sort what was typed in the search box into names, dates, INS (and IPP)."""
    query = SearchQuery()
    compact = "".join((text or "").split())
    if classify_ins(compact):  # a matricule typed with spaces: "2 75 12 63 220 749 74"
        query.ins = compact.upper()
        return query
    if compact.isdigit() and " " in (text or "").strip() and classify_ipp(compact):  # "1000 0009"
        _as_ipp(compact, query)
        return query
    for token in (text or "").split():
        for rule in TOKEN_RULES:
            if rule(token, query):
                break
    return query


class Reason(StrEnum):
    INS = "INS"
    NAME_EXACT = "NAME_EXACT"
    NAME_CLOSE = "NAME_CLOSE"
    NAME_PHONETIC = "NAME_PHONETIC"
    USED_NAME = "USED_NAME"
    FIRST_NAME_EXACT = "FIRST_NAME_EXACT"
    FIRST_NAME_CLOSE = "FIRST_NAME_CLOSE"
    BIRTH_DATE = "BIRTH_DATE"
    BIRTH_DATE_SWAPPED = "BIRTH_DATE_SWAPPED"
    # Issue 9: the number typed is the identity's IPP (a merged identity's leads to its survivor), or an
    # identifier of another system it holds.
    IPP = "IPP"
    IDENTIFIER = "IDENTIFIER"


REASON_LABELS = {
    Reason.INS: "matricule INS",
    Reason.NAME_EXACT: "nom exact",
    Reason.NAME_CLOSE: "nom proche (faute ?)",
    Reason.NAME_PHONETIC: "nom de même son",
    Reason.USED_NAME: "nom utilisé",
    Reason.FIRST_NAME_EXACT: "prénom exact",
    Reason.FIRST_NAME_CLOSE: "prénom proche",
    Reason.BIRTH_DATE: "date exacte",
    Reason.BIRTH_DATE_SWAPPED: "jour et mois inversés",
    Reason.IPP: "IPP",
    Reason.IDENTIFIER: "identifiant d'un autre logiciel",
}


@dataclass(frozen=True)
class Ranking:
    score: float
    exact: bool
    reasons: tuple[Reason, ...]
    # Issue 10: a tie-break among equal scores, never shown; lower is likelier. The words read in the agent's
    # order, the name first ("MARTIN JEAN" is Jean Martin before Martin Jean), then each word on the birth
    # name rather than the used name, on the first first name rather than a later one.
    reading: int = 0

    @property
    def label(self) -> str:
        return ", ".join(REASON_LABELS[r] for r in self.reasons)


@lru_cache(maxsize=65536)
def _trait_keys(text: str, whole: bool) -> tuple[str, ...]:
    """The key of each word of a name (and of the whole name when ``whole``); cached, names repeat."""
    words = [search_key(w) for w in re.split(r"[-' ]", text)]
    keys = [w for w in words if w]
    if whole and len(words) > 1:
        keys.append(search_key(text))
    return tuple(keys)


def _pool(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, which trait) of each name word and whole name of the identity."""
    pool = []
    for trait, field_name in (("birth", "birth_name"), ("used", "used_name"), ("first", "first_names")):
        pool += [(key, trait) for key in _trait_keys(values.get(field_name) or "", trait != "first")]
    return pool


@lru_cache(maxsize=262144)
def _key_match(word: str, key: str) -> tuple[float, str]:
    """How close a typed word is to one key: similarity and kind (EXACT, CLOSE, PHONETIC); cached."""
    if key == word:
        return 1.0, "EXACT"
    sim = similarity(word, key)
    if len(word) > 2 and phonetic_key(key) == phonetic_key(word):
        return max(sim, 0.92), "PHONETIC"
    return sim, "CLOSE"


def _word_match(word: str, pool: list[tuple[str, str]]) -> tuple[float, Reason | None, int]:
    """The best match of a word among the identity's names: similarity, why, and where in the pool.

    The pool lists the birth name, the used name, then the first names in their order, so a lower place
    is a likelier reading (the first first name before a third one).
    """
    best, reason, place = 0.0, None, len(pool)
    for index, (key, trait) in enumerate(pool):
        sim, kind = _key_match(word, key)
        if sim > best:
            best, place = sim, index
            if trait == "first":
                reason = Reason.FIRST_NAME_EXACT if kind == "EXACT" else Reason.FIRST_NAME_CLOSE
            elif trait == "used":
                reason = Reason.USED_NAME
            else:
                reason = {"EXACT": Reason.NAME_EXACT, "CLOSE": Reason.NAME_CLOSE}.get(kind, Reason.NAME_PHONETIC)
            if sim == 1.0:
                break  # nothing later can do better
    return best, reason, place


def rank(query: SearchQuery, values: dict[str, Any]) -> Ranking | None:
    """Rank one identity (its traits in ``values``) against the query; None when it does not fit."""
    reasons: list[Reason] = []
    exact = True
    if query.ins:
        if (values.get("ins_matricule") or "") != query.ins:
            return None
        reasons.append(Reason.INS)
    date_factor = 1.0
    if query.birth_dates:
        born = values.get("birth_date")
        if born in query.birth_dates:
            reasons.append(Reason.BIRTH_DATE)
        elif any(swapped(d) == born for d in query.birth_dates):
            reasons.append(Reason.BIRTH_DATE_SWAPPED)
            date_factor, exact = 0.9, False
        else:
            return None
    pool = _pool(values)
    scores, word_reasons, places = [], [], 0
    for word in query.words:
        sim, reason, place = _word_match(word, pool)
        scores.append(sim)
        word_reasons.append(reason)
        places += place
        if reason and reason not in reasons:
            reasons.append(reason)
    for i, (a, b) in enumerate(pairwise(query.words)):
        sim, reason, _ = _word_match(a + b, pool)
        if sim == 1.0:  # "DUBE LAMBERT" typed for a stored "DUBELAMBERT": both words are exact
            scores[i] = scores[i + 1] = 1.0
            reasons.append(reason)
    if query.words:
        if min(scores) < WORD_THRESHOLD:
            return None
        exact = exact and min(scores) == 1.0
        word_score = sum(scores) / len(scores)
    else:
        word_score = 1.0
    ordered = tuple(dict.fromkeys(r for r in reasons if r))
    if exact:
        ordered = tuple(r for r in ordered if r not in (Reason.NAME_CLOSE, Reason.FIRST_NAME_CLOSE))
    in_order = not word_reasons or word_reasons[0] not in (Reason.FIRST_NAME_EXACT, Reason.FIRST_NAME_CLOSE)
    return Ranking(round(word_score * date_factor, 4), exact, ordered, (0 if in_order else 1000) + places)


def prefill_from_text(text: str) -> dict[str, str]:
    """Initial values of the identity form from a search that found nobody ("Créer une identité").

    The last name word is taken as the first name, the words before it as the birth name; a typed date
    becomes the birth date. The agent checks and corrects them against the document.
    """
    words, born = [], ""
    for token in (text or "").split():
        parsed = parse_date(token)
        if parsed:
            born = parsed.strftime("%d/%m/%Y")
        elif parsed is None and not classify_ins(token) and not any(ch.isdigit() for ch in token):
            words.append(token.upper())
    initial = {"birth_date": born} if born else {}
    if len(words) == 1:
        initial["birth_name"] = words[0]
    elif words:
        initial["birth_name"] = " ".join(words[:-1])
        initial["first_name"] = words[-1]
    return initial
