"""The small administered table of assigning authorities of external identifiers (referents)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from identity_registry.history import stamp_history
from patients.links import IdentifierAuthority


@admin.register(IdentifierAuthority)
class IdentifierAuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "oid")
    search_fields = ("code", "label")
    ordering = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is what other systems and the API send: it never changes once identifiers use it.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # AUD-01: identifiers keep pointing to their authority; an authority is never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: IdentifierAuthority, form: Any, change: bool) -> None:
        stamp_history(obj, actor=request.user, reason_code="AUTHORITY_EDIT" if change else "AUTHORITY_CREATE")
        super().save_model(request, obj, form, change)
