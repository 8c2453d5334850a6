"""``Patient/$match`` (FHIR R4): the registry's duplicate scorer on the traits of a submitted Patient.

The candidates are the ones the duplicate check on create would consider (same blocking, same scorer:
patients.duplicates); each carries its score (0 to 1) and a match grade, best first.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from fhir_api import codes
from identity_registry.exceptions import InvalidInput
from patients.duplicates.scoring import LOW, MatchClass, MatchScore, Outcome, score_pair
from patients.duplicates.selectors import blocking_queryset, traits_of
from patients.models import Patient
from patients.services.identity import clean_traits
from patients.status import Status

DEFAULT_COUNT = 10
MAX_COUNT = 100
GENDERS = {"male": "M", "female": "F", "unknown": "U", "other": "U"}
GRADES = {MatchClass.PROBABLE: "probable", MatchClass.POSSIBLE: "possible"}
MAX_TEXT = 255
INS_SHAPE = re.compile(r"^[0-9A-Z]{15}$")


@dataclass(frozen=True)
class MatchRequest:
    values: dict[str, Any]
    only_certain: bool
    count: int


@dataclass(frozen=True)
class MatchResult:
    patient: Patient
    match: MatchScore

    @property
    def grade(self) -> str:
        """``certain`` only when the same qualified INS agrees (ST-11: one INS is one person)."""
        if any(c.outcome == Outcome.SAME_INS for c in self.match.comparisons):
            return "certain"
        return GRADES.get(self.match.match_class, "certainly-not")


def parse_match(body: Any) -> MatchRequest:
    """Read the Parameters resource of $match; raise InvalidInput (400) naming what is wrong."""
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise InvalidInput("Le corps doit être une ressource Parameters (FHIR $match).")
    resource, only_certain, count, errors = None, False, DEFAULT_COUNT, {}
    for parameter in _list(body.get("parameter")):
        name = parameter.get("name") if isinstance(parameter, dict) else None
        if name == "resource":
            resource = parameter.get("resource")
        elif name == "onlyCertainMatches":
            only_certain = parameter.get("valueBoolean")
            if not isinstance(only_certain, bool):
                errors[name] = "valueBoolean attendu."
        elif name == "count":
            count = parameter.get("valueInteger")
            if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
                errors[name] = f"valueInteger attendu, de 1 à {MAX_COUNT}."
        else:
            errors[str(name)] = "Paramètre non pris en charge (resource, onlyCertainMatches, count)."
    if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
        errors["resource"] = "Le paramètre resource doit contenir une ressource Patient."
    if errors:
        raise InvalidInput("Paramètres de $match invalides.", details=errors)
    return MatchRequest(_traits_of_resource(resource), bool(only_certain), count if isinstance(count, int) else 10)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) and len(value) <= MAX_TEXT else ""


def _names(resource: dict) -> tuple[dict, dict]:
    names = [n for n in _list(resource.get("name")) if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), None)
    official = official or next((n for n in names if n.get("use") in (None, "")), None) or {}
    usual = next((n for n in names if n.get("use") == "usual"), {})
    return official, usual


def _extension(holder: dict, url: str) -> dict:
    return next((e for e in _list(holder.get("extension")) if isinstance(e, dict) and e.get("url") == url), {})


def _traits_of_resource(resource: dict) -> dict[str, Any]:
    official, usual = _names(resource)
    given = [g for g in _list(official.get("given")) if isinstance(g, str)]
    birth_list = _text(_extension(official, codes.EXT_BIRTH_LIST_GIVEN_NAME).get("valueString"))
    errors = {}
    family = _text(official.get("family"))
    if not family:
        errors["Patient.name.family"] = "Le nom de naissance (name official, family) est requis."
    if not given:
        errors["Patient.name.given"] = "Le premier prénom (name official, given) est requis."
    birth_date = _birth_date(resource.get("birthDate"))
    if birth_date is None:
        errors["Patient.birthDate"] = "La date de naissance complète (AAAA-MM-JJ) est requise."
    gender = resource.get("gender") or "unknown"
    sex = GENDERS.get(gender) if isinstance(gender, str) else None
    if sex is None:
        errors["Patient.gender"] = "male, female, other ou unknown attendu."
    if errors:
        raise InvalidInput("La ressource Patient ne porte pas les traits nécessaires.", details=errors)
    values = {
        "birth_name": family,
        "first_name": _text(given[0]),
        "first_names": birth_list or " ".join(_text(g) for g in given),
        "sex": sex,
        "birth_date": birth_date,
        "birthplace_cog": _birthplace(resource),
        "used_name": _text(usual.get("family")),
    }
    clean, _ = clean_traits(values)
    ins = _ins(resource)
    return {**clean, "ins_matricule": ins} if ins else clean


def _birth_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _birthplace(resource: dict) -> str:
    address = _extension(resource, codes.EXT_BIRTH_PLACE).get("valueAddress")
    coding = _extension(address, codes.EXT_INSEE_CODE).get("valueCoding") if isinstance(address, dict) else None
    return _text(coding.get("code")) if isinstance(coding, dict) else ""


def _ins(resource: dict) -> str:
    systems = {f"urn:oid:{oid}" for oid in codes.INS_TYPES}
    for identifier in _list(resource.get("identifier")):
        if isinstance(identifier, dict) and identifier.get("system") in systems:
            value = "".join(_text(identifier.get("value")).split()).upper()
            if not INS_SHAPE.match(value):
                raise InvalidInput(
                    "Le matricule INS doit compter 15 caractères.", details={"Patient.identifier": ["15 caractères."]}
                )
            return value
    return ""


def patient_match(request: MatchRequest) -> list[MatchResult]:
    """Score the identities the duplicate check would block together with the traits; best first."""
    traits = traits_of(request.values)
    results = []
    for other in blocking_queryset(traits):
        other_traits = traits_of(other)
        if other.status != Status.QUAL:
            # RNIV ST-04: only a QUAL identity's INS may be exchanged, so only it can confirm a match.
            other_traits = replace(other_traits, ins="")
        match = score_pair(traits, other_traits)
        if match.score >= LOW:
            results.append(MatchResult(other, match))
    results.sort(key=lambda r: (-r.match.score, r.patient.pk))
    if request.only_certain:
        results = [r for r in results if r.grade == "certain"]
    return results[: request.count]
