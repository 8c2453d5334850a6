"""Identity traits: normalisation, search keys, birth-date estimation (pure, no I/O)."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

# RNIV TR-03: ligatures and the typographic apostrophe never reach INSi; they are transliterated
# explicitly and the caller is told.
TRANSLITERATIONS = {
    "Æ": "AE",
    "æ": "AE",
    "Œ": "OE",
    "œ": "OE",
    "’": "'",
    "ß": "SS",
}
# What may remain once diacritics are dropped (TR-03); upper-cased only after this check.
ALLOWED = re.compile(r"[A-Za-z' -]+")
SEPARATORS = re.compile(r"[' -]")

SANSNOM = "SANSNOM"  # RNIV TR-08
SANSPRENOM = "SANSPRENOM"  # RNIV TR-08
UNKNOWN_BIRTHPLACE = "99999"  # RNIV TR-06
COG_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


class TraitError(ValueError):
    """A trait that cannot be stored; ``message`` is French and shown to the agent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NormalizedTrait:
    value: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _compatibility_characters(text: str) -> list[str]:
    """The characters that Unicode compatibility normalisation (NFKC) would rewrite: ﬁ, ſ, K (Kelvin), Ａ, ²…"""
    return sorted({ch for ch in text if unicodedata.normalize("NFKC", ch) != ch})


def _describe(ch: str) -> str:
    """Show a presentation character to the agent: itself, its code point, and what to type instead."""
    plain = unicodedata.normalize("NFKC", ch)
    if plain.isspace():
        hint = ", à retaper comme une espace ordinaire"
    elif plain.isascii() and plain.isalpha():
        hint = f", à retaper « {plain.upper()} »"
    else:
        hint = ""
    return f"« {ch} » (U+{ord(ch):04X}{hint})"


# Names repeat across a population (an import checks millions of rows): each distinct one is worked out once.
# Pure functions of their text, so a cache changes nothing but the time; a refusal (exception) is not cached.
CACHE_SIZE = 100_000


@lru_cache(maxsize=CACHE_SIZE)
def normalize_trait(raw: str, *, label: str = "Le trait") -> NormalizedTrait:
    """Normalise a strict trait (RNIV TR-03): upper case A-Z, hyphen, apostrophe and space only.

    Diacritics are dropped, Æ/Œ/’ are transliterated with a warning, digits and other symbols are
    refused with a French message naming the offending characters. Unicode compatibility characters
    (ﬁ, ſ, the Kelvin sign, full-width or superscript letters, no-break spaces) are refused too, never
    silently rewritten: they are presentation forms that no identity document carries, they look like
    the letters they imitate, and only the agent retyping them shows what is really stored (TR-03).
    """
    text = (raw or "").strip()
    if not text:
        raise TraitError(f"{label} est obligatoire.")
    warnings = []
    for source, target in TRANSLITERATIONS.items():
        if source in text:
            text = text.replace(source, target)
            warnings.append(f"« {source} » a été remplacé par « {target} » (règle TR-03).")
    # NFD, not NFKD, and no str.upper() on anything but A-Z: ﬁ, ſ, K or ı must never become other letters.
    look_alikes = _compatibility_characters(text)
    if look_alikes:
        shown = " ".join(_describe(ch) for ch in look_alikes)
        raise TraitError(
            f"{label} contient des caractères de présentation (formes de compatibilité Unicode, souvent issues "
            f"d'un copier-coller) : {shown}. Retapez-les au clavier (règle TR-03)."
        )
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not ALLOWED.fullmatch(stripped):
        bad = sorted({ch for ch in stripped if not ALLOWED.fullmatch(ch)})
        shown = " ".join(f"« {ch} »" for ch in bad)
        raise TraitError(
            f"{label} contient des caractères interdits : {shown}. Seules les lettres de A à Z (accentuées ou "
            "non), le tiret, l'apostrophe et l'espace sont acceptés (règle TR-03)."
        )
    upper = stripped.upper()
    if not re.search(r"[A-Z]", upper):
        raise TraitError(f"{label} doit contenir au moins une lettre (règle TR-03).")
    return NormalizedTrait(upper, tuple(warnings))


def normalize_first_names(raw: str, *, label: str = "La liste des prénoms") -> NormalizedTrait:
    """Normalise the space-separated list of birth first names (TR-01, TR-03)."""
    result = normalize_trait(raw, label=label)
    return NormalizedTrait(" ".join(result.value.split()), result.warnings)


@lru_cache(maxsize=CACHE_SIZE)
def search_key(text: str) -> str:
    """Return the search key of a trait or of what an agent typed (RNIV TR-05).

    Case, diacritics, hyphens, apostrophes and spaces are ignored; ligatures are transliterated.
    Any other character is dropped, so the key of free text never fails.
    """
    for source, target in TRANSLITERATIONS.items():
        text = text.replace(source, target)
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    return "".join(ch for ch in letters if "A" <= ch <= "Z")


def first_names_match_first(first_name: str, first_names: str) -> bool:
    """Tell whether the first first name opens the list of first names (TR-01, TR-04).

    Whole words are compared, whatever separates them: "JEAN-PIERRE" opens "JEAN PIERRE PAUL", "JEAN" does
    not open "JEANNOT MARC".
    """
    head = [key for key in map(search_key, SEPARATORS.split(first_name)) if key]
    words = [key for key in map(search_key, SEPARATORS.split(first_names)) if key]
    return bool(head) and words[: len(head)] == head


def validate_cog(value: str) -> str:
    """Check a birthplace COG: 5 digits, or 2A/2B for Corsica; ``99999`` means unknown (TR-06)."""
    code = (value or "").strip().upper()
    if not COG_PATTERN.match(code):
        raise TraitError(
            "Le lieu de naissance doit être un code officiel géographique (COG) de 5 caractères, "
            "ou 99999 s'il est inconnu (règle TR-06)."
        )
    return code


@dataclass(frozen=True)
class EstimatedBirthDate:
    value: date
    day_estimated: bool
    month_estimated: bool
    year_estimated: bool


def estimate_birth_date(
    *,
    year: int | None,
    month: int | None = None,
    day: int | None = None,
    estimated_year: int | None = None,
) -> EstimatedBirthDate:
    """Build a birth date from its known parts (RNIV TR-07).

    Whole date unknown: 31 December of the estimated year. Day unknown: the 1st. Month unknown:
    January. Year unknown: the year estimated from the supposed age.
    """
    year_estimated = year is None
    if year_estimated:
        if estimated_year is None:
            raise TraitError("L'année de naissance est inconnue : indiquez une année estimée (règle TR-07).")
        year = estimated_year
    if year_estimated and month is None and day is None:
        return EstimatedBirthDate(date(year, 12, 31), True, True, True)
    try:
        value = date(year, month or 1, day or 1)
    except ValueError as exc:
        raise TraitError("La date de naissance n'existe pas.") from exc
    return EstimatedBirthDate(value, day is None, month is None, year_estimated)


# A birth date before this is a mistyped year ("01/01/20" read as year 20, 1820 for 1920), never a patient:
# the oldest person ever documented lived 122 years (born 1875).
EARLIEST_BIRTH_DATE = date(1900, 1, 1)  # as identity_registry.inputs.EARLIEST_DATE


def check_birth_date(value: date, *, today: date) -> date:
    """Refuse a birth date in the future or before 1900: a mistyped or two-digit year, never a real patient."""
    if value > today:
        raise TraitError("La date de naissance ne peut pas être dans le futur.")
    if value < EARLIEST_BIRTH_DATE:
        raise TraitError(
            f"La date de naissance est antérieure au {EARLIEST_BIRTH_DATE:%d/%m/%Y} : vérifiez l'année, "
            "qui s'écrit sur 4 chiffres."
        )
    return value


def check_estimated_birth_date(
    value: date, *, day_estimated: bool, month_estimated: bool, year_estimated: bool
) -> date:
    """Refuse a birth date whose estimated parts are not those RNIV TR-07 records; return it unchanged.

    Whole date unknown: 31 December of the estimated year. Day unknown: the 1st. Month unknown: January.
    The date is never changed silently: the agent is told the date the rule expects.
    """
    expected = estimate_birth_date(
        year=None if year_estimated else value.year,
        month=None if month_estimated else value.month,
        day=None if day_estimated else value.day,
        estimated_year=value.year,
    ).value
    if value == expected:
        return value
    if day_estimated and month_estimated and year_estimated:
        rule = "Date de naissance inconnue (jour, mois et année estimés) : la règle TR-07 enregistre le 31 décembre"
    elif day_estimated and month_estimated:
        rule = "Jour et mois estimés : la règle TR-07 enregistre le 1er janvier"
    elif day_estimated:
        rule = "Jour estimé : la règle TR-07 enregistre le 1er du mois"
    else:
        rule = "Mois estimé : la règle TR-07 enregistre le mois de janvier"
    raise TraitError(
        f"{rule}, soit le {expected:%d/%m/%Y}. Corrigez la date, ou ne marquez pas comme estimée une partie connue."
    )
