"""The RNIV rules of an INSi call, pure: pre-checks, search strategy, INS checks and comparison.

``strategy`` holds INSI-01, TR-03, ST-03, TR-06 and INSI-08; ``retries`` the back-office retries of INSI-07,
INSI-08 and INSI-11; ``comparison`` holds TR-10, TR-12 and
INSI-03 to INSI-07 and ST-08; ``outcome`` the MATCH / NEEDS_DECISION / DISCORDANT outcome.
"""

from insi.matching.comparison import (
    TRAIT_LABELS,
    assess,
    check_returned_ins,
    compare_traits,
    compare_verification,
    valid_history,
)
from insi.matching.outcome import Comparison, Difference, Outcome, Severity, combine
from insi.matching.retries import Retry, retry_query, suggested_retries
from insi.matching.strategy import (
    LocalTraits,
    PrecheckRefused,
    SearchPlan,
    SearchRun,
    Sendable,
    initial_queries,
    max_queries,
    precheck,
    queries_after_multiple,
    run_search,
)

__all__ = [
    "TRAIT_LABELS",
    "Comparison",
    "Difference",
    "LocalTraits",
    "Outcome",
    "PrecheckRefused",
    "Retry",
    "SearchPlan",
    "SearchRun",
    "Sendable",
    "Severity",
    "assess",
    "check_returned_ins",
    "combine",
    "compare_traits",
    "compare_verification",
    "initial_queries",
    "max_queries",
    "precheck",
    "queries_after_multiple",
    "retry_query",
    "run_search",
    "suggested_retries",
    "valid_history",
]
