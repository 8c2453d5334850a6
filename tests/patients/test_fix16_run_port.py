"""Issue 8, item 16: `make run PORT=… HOST=…` serves there, and the banner names that address."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_fix16_the_demo_banner_names_the_port_and_host_given(capsys):
    call_command("load_demo", "--password", "motdepasse-de-demo", "--port", "8001")
    call_command("load_demo", "--password", "motdepasse-de-demo", "--host", "0.0.0.0", "--port", "8123")  # noqa: S104
    call_command("load_demo", "--password", "motdepasse-de-demo", "--host", "registre.local", "--port", "9000")
    out = capsys.readouterr().out
    assert "Comptes de démonstration (http://127.0.0.1:8001/admin/)" in out
    # Listening on every interface, the screens are opened on this machine at the loopback address.
    assert "Comptes de démonstration (http://127.0.0.1:8123/admin/)" in out
    assert "Comptes de démonstration (http://registre.local:9000/admin/)" in out
    assert ":8000" not in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_fix16_make_run_passes_host_and_port_to_the_banner_and_the_server():
    dry_run = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", "HOST=0.0.0.0", "PORT=8001"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py load_demo --host 0.0.0.0 --port 8001" in dry_run
    assert "manage.py runserver 0.0.0.0:8001" in dry_run


def test_fix16_the_readme_documents_make_run_with_port_and_host():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=8001" in readme
    assert "HOST=0.0.0.0" in readme
