"""The small administered table of assigning authorities of external identifiers (referents)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from identity_registry.history_admin import ReadOnlyHistoryAdmin
from patients.links import IdentifierAuthority
from patients.services import authority_save


@admin.register(IdentifierAuthority)
class IdentifierAuthorityAdmin(ReadOnlyHistoryAdmin):
    """Referents add and edit authorities; the history of each edit is shown and never reverted (AUD-01)."""

    list_display = ("code", "label", "oid")
    search_fields = ("code", "label")
    ordering = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is what other systems and the API send: it never changes once identifiers use it.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "code"] if obj is not None and "code" not in readonly else readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # AUD-01: identifiers keep pointing to their authority; an authority is never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: IdentifierAuthority, form: Any, change: bool) -> None:
        authority_save(actor=request.user, authority=obj)
