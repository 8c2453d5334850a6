"""The INSi simulator: answers like the teleservice from a data file of reference people.

Data file format (JSON, ``insi-simulator/1``); the default, ``insi/data/test_people.json``, holds every
person of the INSI.md table, and ``settings.INSI_SIMULATOR_DATA`` may name another file::

    {"format": "insi-simulator/1",
     "people": [
       {"name": "free label",
        "traits": {"birth_name", "first_names" (space-separated list), "sex", "birth_date" (YYYY-MM-DD),
                   "birthplace_cog"},                       # the INS traits the service holds
        "ins": {"matricule": 15 characters, "oid": "1.2.250.1.213.1.4.8"},
        "history": [{"matricule", "oid", "valid_from"?, "valid_until"?}],   # optional INSHISTO
        "returned_traits": {...},                  # optional: traits answered instead of "traits"
        "answer": "01" | "02",                     # optional: forced answer to every matching request
        "multiple_without_birthplace": true,       # optional: 02 unless the birthplace is sent
        "vitale": {"individual": 15 chars, "holder": 15 chars, "rank": 1},   # optional carte Vitale keys
        "failure": {"type": "fault", "subcode": "siram_40", "code": "insi_102", "message": "..."}
                 | {"type": "delay", "seconds": 1.5}    # answers after the delay
                 | {"type": "timeout", "seconds": 30}   # never answers in time
                 | {"type": "malformed"}                # a body that is not a SOAP envelope
                 | {"type": "cut"}                      # served only: the connection drops mid-answer
       }]}

Matching follows the real service: exact birth name, sex and birth date; the birthplace when sent; the
first name(s) sent, as words separated by spaces, must open the INS list of first names, in order
(PIERRE-ALAIN is one word: PIERRE does not find it). No match answers ``01``, several ``02``. A request
carrying characters INSi refuses (TR-03) gets the technical fault approved clients observed
(``siram_40`` / ``insi_102``). A failure's ``severity`` is one of the schema's values (default ``fatale``).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from insi.client import (
    CR_FOUND,
    CR_LABELS,
    CR_MULTIPLE,
    CR_NOT_FOUND,
    InsiClient,
    InsiResult,
    InsiTechnicalError,
    ReturnedIdentity,
    ReturnedIns,
    ReturnedTraits,
    TraitsQuery,
    VitaleQuery,
)

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "test_people.json"
FORMAT = "insi-simulator/1"
FAILURE_TYPES = {"fault", "delay", "timeout", "malformed", "cut"}
ACCEPTED_CHARACTERS = re.compile(r"^[A-Z' -]*$")
PERMANENT_CODES = {"desir_550", "desir_560"}
# INSI.md: the siram:Erreur schema's values for "severite".
SEVERITIES = ("information", "avertissement", "erreur", "fatale")
# What approved clients observed for a request INSi cannot serve, refused characters included (INSI.md).
TECHNICAL_FAULT = ("siram_40", "insi_102", "Le service est temporairement inaccessible.")


@dataclass(frozen=True)
class Failure:
    type: str
    subcode: str = "siram_40"
    code: str = "insi_102"
    message: str = "Le service est temporairement inaccessible."
    seconds: float = 0.0
    severity: str = "fatale"
    sender: bool = False


@dataclass(frozen=True)
class Person:
    name: str
    traits: ReturnedTraits
    identity: ReturnedIdentity
    answer: str = ""
    multiple_without_birthplace: bool = False
    vitale_individual: str = ""
    vitale_holder: str = ""
    vitale_rank: int = 1
    failure: Failure | None = None
    first_name_words: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Reply:
    """What the simulator answers: a result, or a failure to act out."""

    result: InsiResult | None = None
    failure: Failure | None = None
    delay: float = 0.0


def _words(text: str) -> tuple[str, ...]:
    # Item 9: words are separated by spaces only; a composed first name (PIERRE-ALAIN) is one word.
    return tuple((text or "").split())


def _traits(raw: dict[str, Any], base: ReturnedTraits | None = None) -> ReturnedTraits:
    values = {} if base is None else base.__dict__.copy()
    values.update({k: v for k, v in raw.items() if k in ReturnedTraits.__dataclass_fields__})
    first_names = values.get("first_names", "")
    values.setdefault("first_name", "")
    if "first_name" not in raw:
        values["first_name"] = first_names.split(" ")[0] if first_names else ""
    return ReturnedTraits(**values)


def _ins(raw: dict[str, Any]) -> ReturnedIns:
    return ReturnedIns(raw["matricule"], raw["oid"], raw.get("valid_from", ""), raw.get("valid_until", ""))


def _person(raw: dict[str, Any]) -> Person:
    traits = _traits(raw["traits"])
    returned = _traits(raw.get("returned_traits", {}), traits)
    identity = ReturnedIdentity(_ins(raw["ins"]), returned, tuple(_ins(h) for h in raw.get("history", [])))
    failure = None
    if raw.get("failure"):
        spec = dict(raw["failure"])
        if spec.get("type") not in FAILURE_TYPES:
            raise ValueError(f"unknown failure type {spec.get('type')!r}")
        if spec.get("severity", "fatale") not in SEVERITIES:
            raise ValueError(f"failure severity must be one of {SEVERITIES}")
        failure = Failure(**spec)
    vitale = raw.get("vitale", {})
    default_individual = identity.ins.matricule if identity.ins.oid.endswith((".8", ".10")) else ""
    return Person(
        name=raw.get("name", traits.birth_name),
        traits=traits,
        identity=identity,
        answer=raw.get("answer", ""),
        multiple_without_birthplace=bool(raw.get("multiple_without_birthplace")),
        vitale_individual=vitale.get("individual", default_individual),
        vitale_holder=vitale.get("holder", ""),
        vitale_rank=int(vitale.get("rank", 1)),
        failure=failure,
        first_name_words=_words(traits.first_names),
    )


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> tuple[dict[tuple[str, str, str], list[Person]], tuple[Person, ...]]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"format must be {FORMAT!r}")
        people = tuple(_person(raw) for raw in document["people"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"INSi simulator data file {path} is invalid: {exc}") from exc
    index: dict[tuple[str, str, str], list[Person]] = {}
    for person in people:
        key = (person.traits.birth_name, person.traits.sex, person.traits.birth_date)
        index.setdefault(key, []).append(person)
    return index, people


def load_people(path: str | Path | None = None) -> tuple[dict[tuple[str, str, str], list[Person]], tuple[Person, ...]]:
    """Load (and cache until the file changes) the reference people of the data file."""
    chosen = Path(path or settings.INSI_SIMULATOR_DATA or DEFAULT_DATA)
    try:
        mtime = chosen.stat().st_mtime
    except OSError as exc:
        raise ImproperlyConfigured(f"INSi simulator data file {chosen} cannot be read: {exc}") from exc
    return _load(str(chosen), mtime)


class Simulator:
    """The engine shared by the in-process client and the served SOAP endpoint."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.index, self.people = load_people(path)

    def _answer(self, matches: list[Person], *, birthplace_sent: bool) -> Reply:
        if not matches:
            return Reply(InsiResult(CR_NOT_FOUND, CR_LABELS[CR_NOT_FOUND]))
        if len(matches) > 1:
            return Reply(InsiResult(CR_MULTIPLE, CR_LABELS[CR_MULTIPLE]))
        person = matches[0]
        failure = person.failure
        if failure and failure.type in ("fault", "timeout", "malformed"):
            return Reply(failure=failure)
        cr = person.answer or CR_FOUND
        if person.multiple_without_birthplace and not birthplace_sent:
            cr = CR_MULTIPLE
        identity = person.identity if cr == CR_FOUND else None
        result = InsiResult(cr, CR_LABELS[cr], identity)
        if failure and failure.type == "delay":
            return Reply(result, delay=failure.seconds)
        # A "cut" carries the full answer: the served endpoint drops the connection halfway through it.
        return Reply(result, failure=failure)

    def answer_traits(self, query: TraitsQuery) -> Reply:
        """Answer a search by traits as the teleservice does."""
        sent = (query.birth_name, query.first_name, query.sex, query.birth_date, query.birthplace_cog)
        if not all(ACCEPTED_CHARACTERS.match(value or "") for value in sent[:3]):
            # RNIV TR-03: lower case, diacritics, ligatures and ’ are refused by the service.
            # The observed answer is the technical fault, not a dedicated code (INSI.md, D'AEION).
            return Reply(failure=Failure("fault", *TECHNICAL_FAULT))
        words = _words(query.first_name)
        matches = [
            person
            for person in self.index.get((query.birth_name, query.sex, query.birth_date), [])
            if words
            and person.first_name_words[: len(words)] == words
            and (not query.birthplace_cog or query.birthplace_cog == person.traits.birthplace_cog)
        ]
        return self._answer(matches, birthplace_sent=bool(query.birthplace_cog))

    def answer_vitale(self, query: VitaleQuery) -> Reply:
        """Answer a carte Vitale search: the card keys the query, the beneficiary is named by date and rank."""
        individual = query.individual.number + query.individual.key if query.individual else ""
        holder = query.holder.number + query.holder.key if query.holder else ""
        matches = [
            person
            for person in self.people
            if ((individual and person.vitale_individual == individual) or (holder and person.vitale_holder == holder))
            and person.traits.birth_date == query.birth_date
            and person.vitale_rank == query.birth_rank
            and (not query.birth_name or person.traits.birth_name == query.birth_name)
        ]
        return self._answer(matches, birthplace_sent=True)


def reply_to_result(reply: Reply) -> InsiResult:
    """Act a reply out in process: return the result or raise the technical error it stands for."""
    failure = reply.failure
    if failure is None or failure.type == "delay":
        if reply.delay:
            time.sleep(reply.delay)
        assert reply.result is not None
        return reply.result
    if failure.type == "fault":
        detail = f"SOAP fault {failure.subcode}/{failure.code}"
        raise InsiTechnicalError(detail, permanent=failure.code.lower() in PERMANENT_CODES, code=failure.code)
    if failure.type == "timeout":
        raise InsiTechnicalError("read timeout", permanent=False, code="timeout")
    raise InsiTechnicalError("malformed response", permanent=False, code="malformed")


class SimulatorClient(InsiClient):
    """The in-process simulator backend (``INSI_CLIENT = "insi.backends.simulator.SimulatorClient"``)."""

    def __init__(self, data_path: str | Path | None = None) -> None:
        self.simulator = Simulator(data_path)

    def search_by_traits(self, query: TraitsQuery) -> InsiResult:
        return reply_to_result(self.simulator.answer_traits(query))

    def search_with_vitale(self, query: VitaleQuery) -> InsiResult:
        return reply_to_result(self.simulator.answer_vitale(query))
