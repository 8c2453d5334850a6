"""Read-only screens of the evidence: checked documents and earlier INS (AUD-01: nobody edits them)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from identity_registry.local_time import local_date
from patients.admin.pagination import BoundedCountPaginator
from patients.models import IdentityDocument, InsHistoryEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to whoever holds the view permission; added, changed or deleted by nobody, superusers included."""

    actions = None
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = BoundedCountPaginator
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(ReadOnlyAdmin):
    list_display = ("checked_at", "patient", "document_type", "issuing_country", "presentation", "can_validate")
    list_display += ("rule", "checked_by")
    list_filter = ("document_type", "can_validate")
    list_select_related = ("patient", "checked_by")
    fields = ("patient", "document_type", "issuing_country", "presentation", "context", "expires_on")
    fields += ("checked_by", "checked_at", "can_validate", "rule", "refusal_reason", "scan_state")
    readonly_fields = fields

    @admin.display(description="présentation")
    def presentation(self, obj: IdentityDocument) -> str:
        return "Copie" if obj.is_copy else "Original"

    @admin.display(description="copie numérisée")
    def scan_state(self, obj: IdentityDocument) -> str:
        # RNIV ID-09: the scan itself is health data and is not served from the screen.
        if obj.scan_purged_at:
            return f"Purgée le {local_date(obj.scan_purged_at)}"
        return "Conservée" if obj.scan else "Aucune"


@admin.register(InsHistoryEntry)
class InsHistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "patient", "matricule", "oid", "source", "valid_from", "valid_until")
    list_filter = ("source",)
    list_select_related = ("patient",)
    fields = ("patient", "matricule", "oid", "source", "valid_from", "valid_until", "recorded_at")
    readonly_fields = fields
