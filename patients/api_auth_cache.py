"""The API caller in one query, kept briefly in the cache (issue 10: the request path).

A request authenticated by token needs the token, its state (revocation, last use), its user and the
user's permissions (its role). They are read by ONE query, then kept ``API_AUTH_CACHE_SECONDS`` in the
process cache, so ``user.has_perm`` never reloads permissions per request. Any change that may revoke
or reduce access (a token saved, rotated or revoked, a user saved or deleted, a group or permission
change) bumps the cache generation: every cached caller is then forgotten in this process at once, and
in the other processes when their entry expires (a shared cache in ``CACHES`` makes it immediate
everywhere). The expiry date is checked on every request from the cached token, never from the cache age.
"""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authtoken.models import Token

GENERATION_KEY = "api-auth:generation"

# The user's own permissions and those of its groups, as "app_label.codename" (what has_perm compares).
_PERMISSIONS = (
    "SELECT ct.app_label || '.' || p.codename AS name FROM auth_permission p"
    " JOIN django_content_type ct ON ct.id = p.content_type_id WHERE p.id IN ("
    " SELECT up.permission_id FROM auth_user_user_permissions up WHERE up.user_id = authtoken_token.user_id"
    " UNION SELECT gp.permission_id FROM auth_group_permissions gp"
    " JOIN auth_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = authtoken_token.user_id)"
)


def _permissions_column() -> RawSQL:
    # One column, so the token, its state, its user and its role come back in one row.
    if connection.vendor == "postgresql":
        return RawSQL(f"ARRAY({_PERMISSIONS})", [])  # noqa: S611 - constant SQL, no typed value
    return RawSQL(f"(SELECT group_concat(name, ',') FROM ({_PERMISSIONS}))", [])  # noqa: S608, S611 - constant SQL


def _as_set(value: Any) -> set[str]:
    if not value:
        return set()
    return set(value) if isinstance(value, list) else set(value.split(","))


def load_token(key: str) -> Token | None:
    """The token with its state, user and the user's permissions, by one query (None if unknown)."""
    token = (
        Token.objects.select_related("user", "state")
        .annotate(permission_names=_permissions_column())
        .filter(key=key)
        .first()
    )
    if token is None:
        return None
    # ModelBackend.has_perm reads this attribute before querying: the role is already loaded.
    token.user._perm_cache = _as_set(token.permission_names)
    getattr(token, "state", None)  # loaded by select_related (None when the token has no state yet)
    return token


def _cache_key(key: str) -> str:
    generation = cache.get(GENERATION_KEY) or "0"
    # The token itself never becomes a cache key: only its digest.
    return f"api-auth:{generation}:{hashlib.sha256(key.encode()).hexdigest()}"


def cached_token(key: str) -> Token | None:
    """The token, from the cache when fresh, else by ``load_token`` (then cached)."""
    cache_key = _cache_key(key)
    token = cache.get(cache_key)
    if token is None:
        token = load_token(key)
        if token is not None and settings.API_AUTH_CACHE_SECONDS > 0:
            cache.set(cache_key, token, settings.API_AUTH_CACHE_SECONDS)
    return token


def remember_token(key: str, token: Token) -> None:
    """Store the token again after a change made by the request itself (its last use)."""
    if settings.API_AUTH_CACHE_SECONDS > 0:
        cache.set(_cache_key(key), token, settings.API_AUTH_CACHE_SECONDS)


def forget_cached_tokens(**kwargs: Any) -> None:
    """Forget every cached caller (a revocation, a rotation, a role or permission change)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _user_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # A log-in only stamps last_login: it changes no access.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget_cached_tokens()


def _state_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    # A token's first use creates its state: that changes no access (a revocation does).
    if created and instance.revoked_at is None:
        return
    forget_cached_tokens()


def connect_invalidation() -> None:
    """Connect the signals that make a change of access take effect (called from the app's ready())."""
    from patients.api_tokens import ApiTokenState

    user_model = get_user_model()
    uid = "api-auth-cache"
    for model in (Token, ApiTokenState, Group, Permission):
        saved = _state_saved if model is ApiTokenState else forget_cached_tokens
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save-{model.__name__}")
        post_delete.connect(forget_cached_tokens, sender=model, dispatch_uid=f"{uid}-delete-{model.__name__}")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=f"{uid}-user-save")
    post_delete.connect(forget_cached_tokens, sender=user_model, dispatch_uid=f"{uid}-user-delete")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_cached_tokens, sender=through, dispatch_uid=f"{uid}-m2m-{through.__name__}")
