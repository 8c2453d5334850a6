"""Read what a fuzz run did: the operations a role may call, and how many cases schemathesis sent."""

import json
from pathlib import Path
from typing import Any


def role_operations(schema: dict[str, Any], group: str) -> list[str]:
    """The operations (``"GET /api/v1/..."``) whose ``x-roles`` hold ``group``: the others only answer 403."""
    return [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and group in operation.get("x-roles", [])
    ]


def count_cases(report: Path) -> int:
    """The test cases of a schemathesis ndjson report (as its summary's "generated" count)."""
    if not report.exists():
        return 0
    cases = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if finished:
            cases += len(finished["recorder"].get("cases", {}))
    return cases
