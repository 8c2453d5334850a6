"""The one permission class of the API: each view names the permission each HTTP method needs (ST-09, AUD-02)."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

DEFAULT_MESSAGE = "Votre rôle ne permet pas cette action."


class MethodPermission(BasePermission):
    """Grant a request when the user holds the permission the view maps to its method (never a group name).

    The view lists ``required_permissions = {"GET": "app.view_x", "POST": "app.add_x"}``; a method it does not
    list is refused. HEAD is a GET. OPTIONS and a method the view does not implement pass, so that DRF answers
    the metadata or 405. The view may word the refusal with ``permission_message``.
    """

    message = DEFAULT_MESSAGE

    def has_permission(self, request: Request, view: Any) -> bool:
        self.message = getattr(view, "permission_message", DEFAULT_MESSAGE)
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method == "OPTIONS" or not hasattr(view, request.method.lower()):
            return True
        method = "GET" if request.method == "HEAD" else request.method
        perm = getattr(view, "required_permissions", {}).get(method)
        return bool(perm) and request.user.has_perm(perm)
