"""Outcomes of a comparison with INSi and the differences behind them (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    MATCH = "MATCH"
    NEEDS_DECISION = "NEEDS_DECISION"
    DISCORDANT = "DISCORDANT"
    # RNIV TR-10, TR-12, TR-14: INSi returned a matricule that can never be stored as an INS.
    INS_REFUSED = "INS_REFUSED"


class Severity(StrEnum):
    TOLERATED = "TOLERATED"
    DECISION = "DECISION"
    DISCORDANT = "DISCORDANT"


SEVERITY_OUTCOME = {Severity.TOLERATED: Outcome.MATCH, Severity.DECISION: Outcome.NEEDS_DECISION}
OUTCOME_RANK = {Outcome.MATCH: 0, Outcome.NEEDS_DECISION: 1, Outcome.DISCORDANT: 2}


@dataclass(frozen=True)
class Difference:
    """One local ↔ INSi difference, the rule behind it and a French explanation for the agent."""

    trait: str
    local: str
    returned: str
    rule: str
    severity: Severity
    explanation: str


@dataclass(frozen=True)
class Comparison:
    outcome: Outcome
    differences: tuple[Difference, ...] = field(default_factory=tuple)


def combine(differences: list[Difference]) -> Comparison:
    outcome = Outcome.MATCH
    for diff in differences:
        candidate = SEVERITY_OUTCOME.get(diff.severity, Outcome.DISCORDANT)
        if OUTCOME_RANK[candidate] > OUTCOME_RANK[outcome]:
            outcome = candidate
    return Comparison(outcome, tuple(differences))
