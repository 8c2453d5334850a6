"""Run the benchmarks on a throw-away database and write their reports under benchmarks/reports/."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

REPORTS = Path(__file__).resolve().parent / "reports"


def run_benchmark(name: str, main: Callable[[], str]) -> None:
    """Set up Django on a dedicated test database, run ``main`` and write its Markdown report."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "identity_registry.test_settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment, teardown_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        report = main()
    finally:
        runner.teardown_databases(old)
        teardown_test_environment()
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"{name}.md"
    path.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"\nreport written to {path}", file=sys.stderr)


BENCHMARKS = ["benchmarks.search"]


if __name__ == "__main__":
    import importlib

    for module_name in BENCHMARKS:
        module = importlib.import_module(module_name)
        run_benchmark(module_name.rsplit(".", 1)[-1], module.main)
