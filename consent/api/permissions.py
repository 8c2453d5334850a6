"""Permission checks of the consent API: each view names the permission each HTTP method needs."""

from typing import Any

from rest_framework.permissions import BasePermission


class MethodPermission(BasePermission):
    """Allow a method only to users holding the permission the view lists for it (ST-09, AUD-02)."""

    message = "Vous n'avez pas le droit d'effectuer cette action."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        perm = getattr(view, "required_permissions", {}).get(method)
        return bool(perm) and request.user.has_perm(perm)
