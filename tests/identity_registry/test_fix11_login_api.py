"""Issue 11: log-in lockout (django-axes), sessions, API throttling, expiring and revocable tokens."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from patients import roles
from patients.api_tokens import ApiTokenState, api_token_revoke
from tests.staff import PASSWORD, staff_member

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
# Any authenticated API read: an unknown identity answers 404 once the token is accepted.
URL = "/api/v1/patients/00000000-0000-0000-0000-000000000000/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_fix11_the_sixth_wrong_password_locks_the_account_in_french(client):
    staff_member(roles.REFERENT, username="alice")
    for attempt in range(6):
        response = _login(client, "alice", "mauvais-mot-de-passe")
        if attempt < 5:
            assert response.status_code == 200  # the form again, "wrong password"
    assert response.status_code == 429  # the sixth failure locks
    response = _login(client, "alice", PASSWORD)  # even the right password: the account is locked
    assert response.status_code == 429
    assert "Compte verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lockout is in the audit: axes' attempts and failures.
    assert AccessAttempt.objects.get(username="alice").failures_since_start >= 6
    assert AccessFailureLog.objects.filter(username="alice", locked_out=True).exists()


def test_fix11_five_wrong_passwords_then_the_right_one_logs_in(client):
    staff_member(roles.REFERENT, username="bob")
    for _ in range(5):
        _login(client, "bob", "mauvais-mot-de-passe")
    response = _login(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_fix11_auditors_read_the_login_audit_in_the_admin(client):
    staff_member(roles.REFERENT, username="carol")
    _login(client, "carol", "mauvais-mot-de-passe")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # re-syncs the role groups, as after every deploy
    auditor = staff_member(roles.AUDITOR, username="auditeur")
    client.force_login(auditor)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    attempt = AccessAttempt.objects.get(username="carol")
    assert client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    # The admin menu names the log-in journal in French, not after the library.
    menu = client.get("/admin/").content.decode()
    assert "Journal des connexions" in menu
    assert ">Axes<" not in menu


def test_fix11_session_idle_timeout_and_browser_close(client, settings):
    staff_member(roles.REFERENT, username="dave")
    response = _login(client, "dave", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # ends when the browser closes
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle, not absolute: each request restarts the clock


def _token_client(user):
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, token


def test_fix11_api_answers_429_with_retry_after_past_the_rate(settings):
    settings.API_THROTTLE_RATE = "3/min"
    client, _ = _token_client(staff_member(roles.REFERENT, username="api-1"))
    for _ in range(3):
        assert client.get(URL).status_code != 429
    response = client.get(URL)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"
    # Another account has its own budget.
    other, _ = _token_client(staff_member(roles.REFERENT, username="api-2"))
    assert other.get(URL).status_code != 429


def test_fix11_expired_and_revoked_tokens_are_refused(settings):
    # The token's age is edited in the database below: no cached caller (issue 10) may hide it.
    settings.API_AUTH_CACHE_SECONDS = 0
    user = staff_member(roles.REFERENT, username="api-3")
    client, token = _token_client(user)
    assert client.get(URL).status_code == 404
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=settings.API_TOKEN_LIFETIME_DAYS))
    response = client.get(URL)
    assert response.status_code == 401
    assert "expiré" in response.json()["message"]
    Token.objects.filter(pk=token.pk).update(created=timezone.now())
    assert api_token_revoke(user=user) == 1
    response = client.get(URL)
    assert response.status_code == 401
    assert "révoqué" in response.json()["message"]


def test_fix11_token_last_use_recorded_at_most_once_a_minute(django_assert_num_queries, settings):
    from patients.api_tokens import ExpiringTokenAuthentication

    # The last use is edited in the database below: no cached caller (issue 10) may hide it.
    settings.API_AUTH_CACHE_SECONDS = 0

    user = staff_member(roles.REFERENT, username="api-4")
    token = Token.objects.create(user=user)
    auth = ExpiringTokenAuthentication()
    auth.authenticate_credentials(token.key)
    first = ApiTokenState.objects.get(token=token).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the token, its user and its state in one query; no write
        auth.authenticate_credentials(token.key)
    assert ApiTokenState.objects.get(token=token).last_used_at == first
    ApiTokenState.objects.filter(token=token).update(last_used_at=first - timedelta(minutes=2))
    auth.authenticate_credentials(token.key)
    assert ApiTokenState.objects.get(token=token).last_used_at > first


def test_fix11_revoke_api_token_command_refuses_the_token_afterwards():
    from io import StringIO

    from django.core.management import call_command

    user = staff_member(roles.REFERENT, username="api-5")
    client, _ = _token_client(user)
    assert client.get(URL).status_code == 404
    out = StringIO()
    call_command("revoke_api_token", "api-5", stdout=out)
    assert "1 jeton(s) révoqué(s)" in out.getvalue()
    assert client.get(URL).status_code == 401


def test_fix11_auditor_reads_the_retention_purges_and_token_states(client):
    auditor = staff_member(roles.AUDITOR, username="auditeur-2")
    from django.contrib.auth.models import Permission

    auditor.user_permissions.add(Permission.objects.get(codename="view_retentionpurge"))
    client.force_login(auditor)
    assert client.get("/admin/patients/retentionpurge/").status_code == 200
