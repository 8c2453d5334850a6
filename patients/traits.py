"""Identity traits: normalisation, search keys, birth-date estimation (pure, no I/O)."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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
ALLOWED = re.compile(r"^[A-Z' -]+$")
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


def normalize_trait(raw: str, *, label: str = "Le trait") -> NormalizedTrait:
    """Normalise a strict trait (RNIV TR-03): upper case A-Z, hyphen, apostrophe and space only.

    Diacritics are dropped, Æ/Œ/’ are transliterated with a warning, digits and other symbols are
    refused with a French message naming the offending characters.
    """
    text = (raw or "").strip()
    if not text:
        raise TraitError(f"{label} est obligatoire.")
    warnings = []
    for source, target in TRANSLITERATIONS.items():
        if source in text:
            text = text.replace(source, target)
            warnings.append(f"« {source} » a été remplacé par « {target} » (règle TR-03).")
    # NFD, not NFKD: compatibility forms (¯, ﬁ, ²) must be refused, not silently turned into other text.
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    upper = stripped.upper()
    if not ALLOWED.match(upper):
        bad = sorted({ch for ch in upper if not ALLOWED.match(ch)})
        shown = " ".join(f"« {ch} »" for ch in bad)
        raise TraitError(
            f"{label} contient des caractères interdits : {shown}. Seules les lettres, le tiret, "
            "l'apostrophe et l'espace sont acceptés (règle TR-03)."
        )
    if not re.search(r"[A-Z]", upper):
        raise TraitError(f"{label} doit contenir au moins une lettre (règle TR-03).")
    return NormalizedTrait(upper, tuple(warnings))


def normalize_first_names(raw: str, *, label: str = "La liste des prénoms") -> NormalizedTrait:
    """Normalise the space-separated list of birth first names (TR-01, TR-03)."""
    result = normalize_trait(raw, label=label)
    return NormalizedTrait(" ".join(result.value.split()), result.warnings)


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
