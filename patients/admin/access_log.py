"""The identity access log in the admin: read-only for everyone (RNIV AUD-02, AUD-03)."""

from django.contrib import admin
from django.http import HttpRequest

from patients.admin.pagination import BoundedCountPaginator
from patients.records import PatientAccess


@admin.register(PatientAccess)
class PatientAccessAdmin(admin.ModelAdmin):
    list_display = ["accessed_at", "user", "patient", "action", "channel"]
    # The access log is the largest table of all: no date hierarchy (it runs a DISTINCT over every row) and
    # a bounded count only.
    list_filter = [("accessed_at", admin.DateFieldListFilter), "channel", "action"]
    list_select_related = ["user", "patient"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = BoundedCountPaginator
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PatientAccess | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PatientAccess | None = None) -> bool:
        return False
