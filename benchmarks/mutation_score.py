"""Print the mutation score of each pure rule module from the last ``mutmut run`` (``make mutation``).

The score is caught mutants (killed, or timed out: an endless loop is caught too) over all mutants; a mutant no
selected test reaches ("no tests") counts as a survivor, since nothing would catch that change either.
"""

import subprocess
import sys
from collections import Counter

MODULES = [
    "patients.status",
    "patients.ins",
    "patients.traits",
    "patients.documents",
    "consent.rules",
    "insi.matching",
]


def _results() -> list[tuple[str, str]]:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep:
            rows.append((name, state))
    return rows


def main() -> None:
    per_module: dict[str, Counter] = {module: Counter() for module in MODULES}
    for name, state in _results():
        module = next((m for m in MODULES if name.startswith(m + ".")), None)
        if module:
            per_module[module][state] += 1
    total: Counter = Counter()
    print(f"{'module':20} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} {'no tests':>8} {'score':>6}")
    for module, counts in per_module.items():
        total.update(counts)
        _row(module, counts)
    _row("total", total)


def _row(label: str, counts: Counter) -> None:
    n = sum(counts.values()) or 1
    caught = counts["killed"] + counts["timeout"]
    print(
        f"{label:20} {sum(counts.values()):7} {counts['killed']:6} {counts['timeout']:7} {counts['survived']:8} "
        f"{counts['no tests']:8} {100 * caught / n:5.1f}%"
    )


if __name__ == "__main__":
    main()
