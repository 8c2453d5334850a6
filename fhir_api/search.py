"""Patient search as IHE PDQm asks: identifier, family, given, birthdate, gender, _id (FHIR R4 search rules).

Repeated parameters are ANDed, comma-separated values ORed. String parameters match the start of a name,
ignoring case, accents, hyphens, apostrophes and spaces (TR-05 search keys); ``:exact`` compares the stored
value as it is. Unknown parameters and modifiers are refused (400), as with ``Prefer: handling=strict``.
"""

import re
import uuid
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from fhir_api import codes
from identity_registry.exceptions import InvalidInput
from patients.lookup import patient_by_ipp
from patients.models import Patient
from patients.status import Status
from patients.traits import search_key

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_OFFSET = 10_000
MAX_VALUE_LENGTH = 256
SEARCH_PARAMS = {"identifier", "family", "given", "birthdate", "gender", "_id"}
STRING_PARAMS = {"family", "given"}
CONTROL_PARAMS = {"_count", "_offset", "_format"}
DATE_PREFIXES = {"eq", "ne", "lt", "gt", "le", "ge"}
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
GENDER_CODES = {fhir: local for local, fhir in codes.GENDERS.items()}


@dataclass(frozen=True)
class SearchRequest:
    """A parsed search: the criteria (name, modifier, value) and the page wanted."""

    criteria: tuple[tuple[str, str, str], ...]
    count: int
    offset: int


def parse_search(params: Iterable[tuple[str, str]]) -> SearchRequest:
    """Read the search parameters; raise InvalidInput (400) naming each one in error."""
    criteria, errors = [], {}
    count, offset = DEFAULT_COUNT, 0
    for raw_name, value in params:
        name, _, modifier = raw_name.partition(":")
        if len(value) > MAX_VALUE_LENGTH:
            errors[raw_name] = "Valeur trop longue."
        elif any(ord(char) < 32 for char in value):
            errors[raw_name] = "Caractère de contrôle refusé."
        elif name in CONTROL_PARAMS and not modifier:
            if name == "_count":
                count = _integer(value, raw_name, errors, low=0, high=MAX_COUNT, default=DEFAULT_COUNT)
            elif name == "_offset":
                offset = _integer(value, raw_name, errors, low=0, high=MAX_OFFSET, default=0)
        elif name not in SEARCH_PARAMS:
            errors[raw_name] = "Paramètre de recherche non pris en charge."
        elif modifier and not (modifier == "exact" and name in STRING_PARAMS):
            errors[raw_name] = "Modificateur non pris en charge (seul :exact, sur family et given)."
        elif not value.strip():
            errors[raw_name] = "Valeur vide."
        else:
            criteria.append((name, modifier, value))
    if not criteria and not errors:
        errors["_"] = "Au moins un critère de recherche est requis (identifier, family, given, birthdate, gender, _id)."
    for name, _, value in criteria:
        if name == "birthdate":
            for one in split_values(value):
                if _date_range(one) is None:
                    errors[name] = "Date attendue : [eq|ne|lt|gt|le|ge]AAAA[-MM[-JJ]]."
    if errors:
        raise InvalidInput("Paramètres de recherche invalides.", details=errors)
    return SearchRequest(tuple(criteria), count, offset)


def _integer(value: str, name: str, errors: dict, *, low: int, high: int, default: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        errors[name] = f"Entier attendu, de {low} à {high}."
        return default
    return int(value)


def split_values(value: str) -> list[str]:
    """FHIR's OR: values separated by commas, ``\\,`` being a literal comma."""
    parts = re.split(r"(?<!\\),", value)
    return [part.replace("\\,", ",").strip() for part in parts if part.strip()]


def _date_range(text: str) -> tuple[str, date, date] | None:
    prefix = text[:2] if text[:2] in DATE_PREFIXES else "eq"
    body = text[2:] if text[:2] in DATE_PREFIXES else text
    match = DATE_PATTERN.match(body)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    try:
        if day:
            start = end = date(year, month, day)
        elif month:
            start, end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return prefix, start, end


def _birthdate_q(text: str) -> Q:
    prefix, start, end = _date_range(text)
    return {
        "eq": Q(birth_date__range=(start, end)),
        "ne": ~Q(birth_date__range=(start, end)),
        "lt": Q(birth_date__lt=start),
        "le": Q(birth_date__lte=end),
        "gt": Q(birth_date__gt=end),
        "ge": Q(birth_date__gte=start),
    }[prefix]


def _family_q(value: str, modifier: str) -> Q:
    if modifier == "exact":
        return Q(birth_name=value) | Q(used_name=value)
    key = search_key(value)
    return Q(birth_name_key__startswith=key) | Q(used_name_key__startswith=key) if key else Q(pk__in=[])


def _given_q(value: str, modifier: str) -> Q:
    if modifier == "exact":
        return Q(first_name=value) | Q(first_names=value) | Q(used_first_name=value)
    key = search_key(value)
    # The key joins the first first name, the whole list and the used first name with "|" (TR-05).
    return Q(first_names_key__startswith=key) | Q(first_names_key__contains=f"|{key}") if key else Q(pk__in=[])


def _identifier_q(value: str, ipp_system: str) -> Q:
    system, bar, code = value.partition("|")
    if not bar:
        system, code = None, value
    code = "".join(code.split())
    if not code:
        return Q(pk__in=[])
    match = Q(pk__in=[])
    oid = system[len("urn:oid:") :] if system and system.startswith("urn:oid:") else ""
    if system is None or system == "" or oid in codes.INS_TYPES:
        # RNIV ST-04: an INS finds only a QUAL identity, the only one whose INS may be exchanged.
        ins = Q(ins_matricule=code.upper(), status=Status.QUAL)
        match |= ins & Q(ins_oid=oid) if oid else ins
    if system is None or system == "" or system == ipp_system:
        match |= Q(pk__in=patient_by_ipp(ipp=code).values("pk"))
    if system is None or system == "" or (oid and oid not in codes.INS_TYPES):
        holders = Q(external_identifiers__value=code.upper(), external_identifiers__in_force=True)
        if oid:
            holders &= Q(external_identifiers__authority__oid=oid)
        match |= Q(pk__in=Patient.objects.filter(holders).values("pk"))
    return match


def _id_q(value: str) -> Q:
    try:
        return Q(public_id=uuid.UUID(value))
    except ValueError:
        return Q(pk__in=[])


def criterion_q(name: str, modifier: str, value: str, *, ipp_system: str) -> Q:
    """One parameter's condition: the OR of its comma-separated values."""
    condition = Q(pk__in=[])
    for one in split_values(value):
        if name == "family":
            condition |= _family_q(one, modifier)
        elif name == "given":
            condition |= _given_q(one, modifier)
        elif name == "birthdate":
            condition |= _birthdate_q(one)
        elif name == "gender":
            condition |= Q(sex=GENDER_CODES[one]) if one in GENDER_CODES else Q(pk__in=[])
        elif name == "identifier":
            condition |= _identifier_q(one, ipp_system)
        elif name == "_id":
            condition |= _id_q(one)
    return condition


def patient_fhir_search(request: SearchRequest, *, ipp_system: str) -> QuerySet[Patient]:
    """The identities matching every criterion, by internal id; active ones only unless ``_id`` names one."""
    queryset = Patient.objects.all()
    for name, modifier, value in request.criteria:
        queryset = queryset.filter(criterion_q(name, modifier, value, ipp_system=ipp_system))
    if not any(name == "_id" for name, _, _ in request.criteria):
        queryset = queryset.filter(is_active=True)
    return queryset.distinct().order_by("id")
