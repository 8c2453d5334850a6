"""Admin of the INSi app: the call log and proposals, read-only for everyone (AUD-02), and the query screen."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from identity_registry.history_admin import ReadOnlyHistoryAdmin
from insi.admin_views import insi_query_view
from insi.models import InsiCall, InsiProposal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are never written by hand: no add, change or delete, even for superusers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(InsiCall)
class InsiCallAdmin(ReadOnlyAdmin):
    list_display = ["called_at", "operation", "patient", "actor", "cr", "outcome", "rules", "error_code", "retry"]
    list_filter = ["operation", "outcome", "cr"]
    date_hierarchy = "called_at"
    list_select_related = ["patient", "actor", "retry_of"]
    # Never a birth name: an admin search puts its terms in the URL, and traits never go in URLs.
    search_fields = ["actor__username"]

    @admin.display(description="relance")
    def retry(self, obj: InsiCall) -> str:
        # Issue 12: a back-office retry names the first call of the search it retried.
        return obj.retry_label

    def get_urls(self):
        urls = [
            path(
                "interroger/<int:patient_id>/",
                self.admin_site.admin_view(self.query_view),
                name="insi_query",
            )
        ]
        return urls + super().get_urls()

    def query_view(self, request: HttpRequest, patient_id: int) -> HttpResponse:
        return insi_query_view(request, patient_id, self.admin_site.each_context(request))


@admin.register(InsiProposal)
class InsiProposalAdmin(ReadOnlyAdmin, ReadOnlyHistoryAdmin):
    list_display = ["created_at", "patient", "kind", "state", "created_by", "decided_by", "decided_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["patient", "created_by", "decided_by"]
