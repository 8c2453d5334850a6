"""API tokens that expire, can be revoked, and record their last use (issue 11).

Beside DRF's ``Token``: ``ApiTokenState`` holds the revocation and the last use. The lifetime is a setting
(``API_TOKEN_LIFETIME_DAYS``, counted from the token's creation; 0 means no expiry). Authentication costs
one query (the token, its state, its user and the user's permissions), cached briefly
(``patients.api_auth_cache``, issue 10); the last use is written at most once a minute.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

TOKEN_INVALID = "Jeton d'API invalide."  # noqa: S105 - a message, not a secret
TOKEN_EXPIRED = "Jeton d'API expiré : demandez-en un nouveau à l'administrateur."  # noqa: S105 - a message, not a secret
TOKEN_REVOKED = "Jeton d'API révoqué."  # noqa: S105 - a message, not a secret
LAST_USE_PRECISION = timedelta(minutes=1)


class ApiTokenState(models.Model):
    """Revocation and last use of one DRF token."""

    token = models.OneToOneField(Token, on_delete=models.CASCADE, related_name="state", primary_key=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "état d'un jeton d'API"
        verbose_name_plural = "états des jetons d'API"

    def __str__(self) -> str:
        return f"Jeton de {self.token.user}"


def token_expires_at(token: Token) -> Any:
    days = settings.API_TOKEN_LIFETIME_DAYS
    return token.created + timedelta(days=days) if days > 0 else None


@transaction.atomic
def api_token_revoke(*, user: Any) -> int:
    """Revoke every token of ``user``; return how many were revoked."""
    now = timezone.now()
    count = 0
    for token in Token.objects.filter(user=user):
        ApiTokenState.objects.update_or_create(token=token, defaults={"revoked_at": now})
        count += 1
    return count


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses expired and revoked tokens and records the last use."""

    def authenticate_credentials(self, key: str):
        from patients.api_auth_cache import cached_token, remember_token

        token = cached_token(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        state = getattr(token, "state", None)
        if state is not None and state.revoked_at is not None:
            raise exceptions.AuthenticationFailed(TOKEN_REVOKED)
        now = timezone.now()
        expires_at = token_expires_at(token)
        if expires_at is not None and now >= expires_at:
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED)
        if state is None:
            token.state, _ = ApiTokenState.objects.get_or_create(token=token, defaults={"last_used_at": now})
            remember_token(key, token)  # its first use, recorded: the next request finds it cached
        elif state.last_used_at is None or now - state.last_used_at >= LAST_USE_PRECISION:
            ApiTokenState.objects.filter(pk=state.pk).update(last_used_at=now)
            state.last_used_at = now
            remember_token(key, token)
        return token.user, token
