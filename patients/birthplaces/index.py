"""The birthplace index (TR-06): communes with their history, and countries, found by name or by code.

Built once per process from the shipped referential (``loader.py``): sorted name keys searched by bisection,
so a lookup reads the few keys that start with what was typed, never the whole list.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from patients.birthplaces.names import name_key, query_keys, without_article, word_starts

UNKNOWN_CODE = "99999"  # RNIV TR-06
COUNTRY = "P"
KIND_ORDER = {"": 0, COUNTRY: 0, "R": 1, "D": 3, "A": 4}
CODE_PATTERN = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
TRAILING_CODE = re.compile(r"(?:^|[\s—–·:-])((?:[0-9]{5}|2[AB][0-9]{3}))\s*$", re.IGNORECASE)
TRAILING_DEPARTMENT = re.compile(r"\(\s*([0-9]{2,3}|2[AB])\s*\)\s*$|\s([0-9]{2,3}|2[AB])\s*$", re.IGNORECASE)
SCAN_LIMIT = 3000  # names read for one prefix of more than SHORT_PREFIX characters
SHORT_PREFIX = 3
SHORT_KEEP = 200


def department_of(code: str) -> str:
    return code[:3] if code.startswith(("97", "98")) else code[:2]


@dataclass(frozen=True, slots=True)
class Place:
    """A name that designated a place during a period, and the COG to send for a birth there then."""

    code: str
    name: str
    kind: str = ""  # "" commune, "R" municipal arrondissement, "D"/"A" delegated/associated commune, "P" country
    start: date | None = None
    end: date | None = None  # exclusive: the first day it no longer applies
    own_code: str = ""
    parent: str = ""
    population: int = 0

    @property
    def department(self) -> str:
        return "" if self.kind == COUNTRY else department_of(self.own_code or self.code)

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    @property
    def label(self) -> str:
        """How the place is shown in French: "Clermont-Ferrand (63)", "Seynod (74), commune déléguée d'Annecy"."""
        if self.code == UNKNOWN_CODE:
            return "Lieu de naissance inconnu"
        if self.kind == COUNTRY:
            return f"{self.name} (étranger, {self.parent})" if self.parent else f"{self.name} (étranger)"
        text = f"{self.name} ({self.department})"
        if self.kind in ("D", "A"):
            what = "commune déléguée" if self.kind == "D" else "commune associée"
            text += f", {what} {_of(self.parent)}"
        if self.end is not None:
            text += f", jusqu'au {self.end - timedelta(days=1):%d/%m/%Y}"
        elif self.start is not None and self.kind in ("D", "A"):
            text += f", depuis le {self.start:%d/%m/%Y}"
        return text

    @property
    def value(self) -> str:
        """The text the form's field holds once this place is picked: its label and the code to send."""
        return f"{self.label} — {self.code}"


def _of(name: str) -> str:
    return f"d'{name}" if name[:1].upper() in "AEIOUYÉÈÊÎÔH" else f"de {name}"


UNKNOWN = Place(UNKNOWN_CODE, "Inconnu", COUNTRY)


class BirthplaceError(ValueError):
    """A typed birthplace that names no place, or several: the message says so in French."""


class BirthplaceIndex:
    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._whole: list[tuple[str, int]] = []
        self._parts: list[tuple[str, int]] = []
        self._by_code: dict[str, list[Place]] = {}
        self._keys: list[str] = []
        for number, place in enumerate(places):
            key = name_key(place.name)
            self._keys.append(key)
            self._whole.extend((whole, number) for whole in without_article(key))
            self._parts.extend((part, number) for part in word_starts(key))
            if place.kind in ("", "R", COUNTRY) and not place.parent:
                self._by_code.setdefault(place.code, []).append(place)
        self._whole.sort()
        self._parts.sort()
        # Short prefixes match thousands of names ("st": 4,000 communes): their best ones are ranked here, once.
        self._short: dict[tuple[int, str], list[int]] = {}
        for rank, table in ((0, self._whole), (1, self._parts)):
            buckets: dict[str, set[int]] = {}
            for key, number in table:
                for size in range(1, SHORT_PREFIX + 1):
                    if len(key) >= size:
                        buckets.setdefault(key[:size], set()).add(number)
            for prefix, numbers in buckets.items():
                self._short[(rank, prefix)] = sorted(numbers, key=self._static_score)[:SHORT_KEEP]

    def _static_score(self, number: int) -> tuple:
        # Biggest first, as an agent expects ("clermont": Clermont-Ferrand), communes before their parts.
        place = self.places[number]
        return (KIND_ORDER[place.kind], -place.population, place.name)

    def by_code(self, code: str, on: date | None = None) -> Place | None:
        """The place a code designated on a date (or the latest one that had it); None if it never existed."""
        code = (code or "").strip().upper()
        if code == UNKNOWN_CODE:
            return UNKNOWN
        periods = self._by_code.get(code, [])
        if not periods:
            return None
        valid = [p for p in periods if on is not None and p.valid_on(on)]
        return valid[0] if valid else max(periods, key=lambda p: p.start or date.min)

    def search(self, text: str, on: date | None = None, limit: int = 10) -> list[Place]:
        """Places whose name (or a word of it) starts with the typed text; valid on the birth date first."""
        text = (text or "").strip()
        code = text.upper()
        if CODE_PATTERN.match(code):
            place = self.by_code(code, on)
            return [place] if place else []
        department = ""
        match = TRAILING_DEPARTMENT.search(text)
        if match and text[: match.start()].strip():
            department = (match.group(1) or match.group(2)).upper()
            text = text[: match.start()]
        found: dict[int, tuple] = {}
        exact: list[int] = []
        for key in query_keys(text):
            for rank, table in ((0, self._whole), (1, self._parts)):
                for number in self._prefixed(rank, table, key):
                    place = self.places[number]
                    if department and place.department != department:
                        continue
                    score = (not place.valid_on(on), rank, *self._static_score(number))
                    if number not in found or score < found[number]:
                        found[number] = score
                    if rank == 0 and self._keys[number] == key:
                        exact.append(number)
        ranked = sorted(found, key=found.__getitem__)[:limit]
        # A village named exactly as typed is always offered, even among bigger places that start alike.
        missing = sorted({n for n in exact if n not in ranked}, key=found.__getitem__)[: max(limit // 2, 1)]
        if missing:
            ranked = sorted(ranked[: limit - len(missing)] + missing, key=found.__getitem__)
        return [self.places[n] for n in ranked]

    def _prefixed(self, rank: int, table: list[tuple[str, int]], key: str) -> list[int]:
        if len(key) <= SHORT_PREFIX:
            return self._short.get((rank, key), [])
        start = bisect_left(table, (key,))
        numbers = []
        for entry_key, number in table[start : start + SCAN_LIMIT]:
            if not entry_key.startswith(key):
                break
            numbers.append(number)
        return numbers

    def resolve(self, text: str, on: date | None = None) -> str:
        """The COG for what was typed: a code, a picked "label — code", or a name naming one place on the date."""
        text = (text or "").strip()
        if not text:
            return ""
        match = TRAILING_CODE.search(text)
        if match:
            code = match.group(1).upper()
            if self.by_code(code) is None:
                raise BirthplaceError(
                    f"Le code {code} n'existe pas dans le référentiel des lieux de naissance (COG de l'INSEE) : "
                    "tapez le nom de la commune ou du pays et choisissez dans la liste, ou 99999 si le lieu est "
                    "inconnu (règle TR-06)."
                )
            return code
        candidates = [p for p in self.search(text, on, limit=50) if p.valid_on(on) or on is None]
        key = name_key(TRAILING_DEPARTMENT.sub("", text) or text)
        exact = [p for p in candidates if name_key(p.name) == key]
        codes = sorted({p.code for p in exact})
        if len(codes) == 1:
            return codes[0]
        if not codes:
            raise BirthplaceError(
                f"« {text} » : aucune commune ni aucun pays de ce nom dans le référentiel des lieux de naissance "
                "(COG de l'INSEE). Tapez le début du nom et choisissez dans la liste, ou saisissez le code ; "
                "99999 si le lieu est inconnu (règle TR-06)."
            )
        shown = ", ".join(p.label for p in exact[:5])
        raise BirthplaceError(
            f"« {text} » désigne plusieurs lieux ({shown}) : choisissez dans la liste ou précisez le département."
        )

    def label(self, code: str, on: date | None = None) -> str:
        """The place's name beside its code, for screens: "Clermont-Ferrand (63) · 63113"."""
        code = (code or "").strip()
        if not code:
            return ""
        place = self.by_code(code, on)
        if place is None:
            return f"{code} (code inconnu du référentiel)"
        return f"{place.label} · {code}"
