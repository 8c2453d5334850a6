"""Issue 11: the documented production environment passes ``check --deploy`` with zero warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = ROOT / "deploy" / "production.env.example"


def _documented_environment() -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(60)  # the one value the file leaves to the operator
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "identity_registry.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _with_insi_files(env: dict[str, str], folder: Path) -> dict[str, str]:
    """The documented INSi paths, each given a real file of its kind (the INSi checks open them)."""
    from tests.insi.tls_helpers import Authority, write_pem

    authority = Authority("AC IGC-Santé de test")
    key, cert = authority.issue("INSI-AUTO", ou="10B0152872")
    cert_path, key_path = write_pem(folder, key, cert)
    bundle = authority.write_bundle(folder / "igc-sante-ca.pem")
    assert {"INSI_CA_BUNDLE", "INSI_CLIENT_CERT", "INSI_CLIENT_KEY"} <= set(env), "the file documents each path"
    return {**env, "INSI_CA_BUNDLE": bundle, "INSI_CLIENT_CERT": cert_path, "INSI_CLIENT_KEY": key_path}


def test_fix11_documented_production_environment_passes_check_deploy_with_zero_warnings(tmp_path):
    result = _check_deploy(_with_insi_files(_documented_environment(), tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_fix11_without_the_security_switches_check_deploy_warns():
    env = _documented_environment()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.pop(name)
    result = _check_deploy(env)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_fix11_session_idle_timeout_and_api_rate_come_from_the_environment():
    env = {**_documented_environment(), "SESSION_IDLE_TIMEOUT": "15", "API_THROTTLE_RATE": "50/min"}
    code = "from identity_registry import settings as s; print(s.SESSION_COOKIE_AGE, s.API_THROTTLE_RATE)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["900", "50/min"], result.stderr
