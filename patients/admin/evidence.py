"""Read-only screens of the evidence: checked documents and earlier INS (AUD-01: nobody edits them)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from identity_registry.exceptions import ApplicationError
from identity_registry.local_time import local_date
from patients.admin.pagination import BoundedCountPaginator
from patients.models import IdentityDocument, InsHistoryEntry
from patients.records import DocumentDeclined, PatientAccess
from patients.scan_response import scan_response
from patients.services import document_open_scan

# RNIV ID-09: who may see a scan (agents, referents, auditors); the view is logged (AUD-03).
SCAN_VIEW_PERMISSION = "patients.view_identitydocument"


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
    fields = ("patient", "document_type", "issuing_country", "document_number", "presentation", "context")
    fields += ("expires_on", "traits_confirmed", "checked_by", "checked_at", "can_validate", "rule")
    fields += ("refusal_reason", "scan_state")
    readonly_fields = fields

    @admin.display(description="présentation")
    def presentation(self, obj: IdentityDocument) -> str:
        return "Copie" if obj.is_copy else "Original"

    @admin.display(description="copie numérisée")
    def scan_state(self, obj: IdentityDocument) -> str:
        # RNIV ID-09: the scan is health data, served only by scan_view (permission checked, view logged).
        if obj.scan:
            url = reverse("admin:patients_identitydocument_scan", args=[obj.pk])
            return format_html('<a href="{}" target="_blank" rel="noopener">Afficher la copie</a>', url)
        if obj.scan_purged_at:
            return f"Purgée le {local_date(obj.scan_purged_at)}"
        return "Aucune"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.scan_view)
        scan = path("<int:document_id>/copie-numerisee/", view, name="patients_identitydocument_scan")
        return [scan, *super().get_urls()]

    def scan_view(self, request: HttpRequest, document_id: int) -> HttpResponse:
        """Show a document's scan to a permitted user, and log the view (ID-09, AUD-03)."""
        if not request.user.has_perm(SCAN_VIEW_PERMISSION):
            raise PermissionDenied
        document = IdentityDocument.objects.select_related("patient").filter(pk=document_id).first()
        if document is None:
            raise Http404("Justificatif introuvable.")
        try:
            opened = document_open_scan(actor=request.user, document=document, channel=PatientAccess.Channel.SCREEN)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        return scan_response(opened)


@admin.register(InsHistoryEntry)
class InsHistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "patient", "matricule", "oid", "source", "valid_from", "valid_until")
    list_filter = ("source",)
    list_select_related = ("patient",)
    fields = ("patient", "matricule", "oid", "source", "valid_from", "valid_until", "recorded_at")
    readonly_fields = fields


@admin.register(DocumentDeclined)
class DocumentDeclinedAdmin(ReadOnlyAdmin):
    """RNIV ST-10: the refusals to show a document, read-only (recorded from the identity page)."""

    list_display = ("recorded_at", "patient", "recorded_by", "reason")
    list_select_related = ("patient", "recorded_by")
    fields = ("patient", "recorded_at", "recorded_by", "reason")
    readonly_fields = fields
