"""Item 19 of the fix-first issue: `make test` runs the suite in parallel, each worker on its own database."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_fix19_make_test_distributes_the_suite_over_workers():
    dry_run = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    pytest_line = next(line for line in dry_run.splitlines() if "-m pytest" in line)
    assert " -n auto" in pytest_line


def test_fix19_one_app_can_be_run_alone():
    dry_run = subprocess.run(
        ["make", "-n", "test", "PYTEST_ARGS=tests/consent", "PYTEST_WORKERS=0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m pytest -n 0 tests/consent" in dry_run


@pytest.mark.django_db
def test_fix19_each_worker_has_its_own_test_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        pytest.skip("the suite runs in one process here (PYTEST_WORKERS=0)")
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        assert name.endswith(f"_{worker}")
    else:
        assert worker in name or name == ":memory:" or "memorydb" in name
