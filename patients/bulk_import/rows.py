"""One row of an import file: its columns, and the same normalisation and checks as a creation (TR-01 to TR-12).

Pure apart from the clock: no queries, so the rows are checked in worker processes (both cores).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from identity_registry.exceptions import InvalidInput
from patients.ins import OID_NIR, InsError, validate_ins
from patients.services.identity import clean_traits
from patients.traits import search_key

REQUIRED = ("legacy_id", "birth_name", "first_name", "sex", "birth_date")
OPTIONAL = (
    "first_names",
    "birthplace_cog",
    "used_name",
    "used_first_name",
    "birth_day_estimated",
    "birth_month_estimated",
    "birth_year_estimated",
    "ins",
    "ins_oid",
    "address",
    "phone",
    "email",
)
# The columns a reject file adds: a corrected reject file can be imported again as it is.
REJECT_COLUMNS = ("ligne", "regle", "motif")
COLUMNS = (*REQUIRED, *OPTIONAL)
TRUE = {"1", "oui", "o", "vrai", "true", "x"}
FALSE = {"", "0", "non", "n", "faux", "false"}
# Without its own rule ID in the message, a field's refusal cites the rule that governs the field.
FIELD_RULES = {
    "birth_name": "TR-03",
    "first_name": "TR-03",
    "first_names": "TR-01",
    "used_name": "TR-03",
    "used_first_name": "TR-03",
    "sex": "TR-01",
    "birth_date": "TR-07",
    "birthplace_cog": "TR-06",
    "email": "TR-02",
    "address": "TR-02",
    "phone": "TR-02",
    "legacy_id": "AUD-05",
}
RULE_IN_TEXT = re.compile(r"règle ([A-Z]+-\d+)")
LEGACY_ID_MAX_LENGTH = 64


@dataclass
class CheckedRow:
    """A row after its checks: the clean values to store, or the rule and French reason of its refusal."""

    line: int
    legacy_id: str
    values: dict[str, Any] | None = None
    rule: str = ""
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    # Imported by an earlier run (same legacy number): neither checked nor written again.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.values is not None


class RowError(Exception):
    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def clean_legacy_id(value: str) -> str:
    """The legacy number as stored among the identifiers of other systems (no spaces, upper case)."""
    compact = "".join((value or "").split()).upper()
    if not compact:
        raise RowError("AUD-05", "Le numéro de l'ancien système (legacy_id) est obligatoire.")
    if len(compact) > LEGACY_ID_MAX_LENGTH or not compact.isprintable():
        raise RowError("AUD-05", "Le numéro de l'ancien système compte au plus 64 caractères imprimables.")
    return compact


def parse_birth_date(text: str) -> date:
    """AAAA-MM-JJ or JJ/MM/AAAA."""
    raw = (text or "").strip()
    if len(raw) == 10 and raw[4] == raw[7] == "-" and raw[:4].isdigit():
        try:
            return date.fromisoformat(raw)  # the common case, without strptime's cost
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise RowError("TR-07", "La date de naissance est invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu.")


def parse_flag(name: str, text: str) -> bool:
    value = (text or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RowError("TR-07", f"La colonne {name} vaut 1/0 (ou oui/non).")


def _first_refusal(exc: InvalidInput) -> RowError:
    details = exc.details or {}
    fields = [name for name in COLUMNS if name in details] or list(details)
    name = fields[0] if fields else ""
    messages = details.get(name) or [exc.message]
    text = " ".join(" ".join(details[f]) for f in fields) or exc.message
    found = RULE_IN_TEXT.search(messages[0])
    return RowError(found.group(1) if found else FIELD_RULES.get(name, "TR-01"), text)


def _ins(raw: dict[str, str]) -> tuple[str | None, str | None]:
    matricule = (raw.get("ins") or "").strip()
    if not matricule:
        return None, None
    oid = (raw.get("ins_oid") or "").strip() or OID_NIR
    try:
        # RNIV TR-10, TR-12, TR-14: a matricule is checked before it is ever stored.
        validate_ins(matricule, oid)
    except InsError as exc:
        raise RowError(exc.rule, exc.message) from exc
    return matricule, oid


def check_row(line: int, raw: dict[str, str]) -> CheckedRow:
    """Normalise and check one row as ``patient_create`` does, plus its INS and legacy number."""
    legacy_id = (raw.get("legacy_id") or "").strip()
    try:
        legacy_id = clean_legacy_id(legacy_id)
        values: dict[str, Any] = {
            "birth_name": raw.get("birth_name", ""),
            "first_name": raw.get("first_name", ""),
            "first_names": raw.get("first_names") or raw.get("first_name", ""),
            "sex": (raw.get("sex") or "").strip().upper(),
            "birth_date": parse_birth_date(raw.get("birth_date", "")),
            "birthplace_cog": raw.get("birthplace_cog", ""),
            "used_name": raw.get("used_name", ""),
            "used_first_name": raw.get("used_first_name", ""),
            "address": raw.get("address", ""),
            "phone": raw.get("phone", ""),
            "email": raw.get("email", ""),
            "to_regularise": False,
        }
        for name in ("birth_day_estimated", "birth_month_estimated", "birth_year_estimated"):
            values[name] = parse_flag(name, raw.get(name, ""))
        try:
            clean, warnings = clean_traits(values)
        except InvalidInput as exc:
            raise _first_refusal(exc) from exc
        clean["ins_matricule"], clean["ins_oid"] = _ins(raw)
    except RowError as exc:
        return CheckedRow(line, legacy_id, rule=exc.rule, reason=exc.reason)
    # RNIV TR-05: the search keys, as refresh_derived computes them (here, on the workers' cores).
    clean["birth_name_key"] = search_key(clean["birth_name"])
    clean["used_name_key"] = search_key(clean["used_name"])
    firsts = (clean["first_name"], clean["first_names"], clean["used_first_name"])
    clean["first_names_key"] = "|".join(search_key(v) for v in firsts if v)
    return CheckedRow(line, legacy_id, clean, warnings=warnings)


def check_rows(batch: list[tuple[int, dict[str, str]] | CheckedRow]) -> list[CheckedRow]:
    """Check a batch of (line, row), passing through rows already decided: the unit of work of a worker."""
    return [item if isinstance(item, CheckedRow) else check_row(*item) for item in batch]
