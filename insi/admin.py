"""Admin of the INSi app: the read-only call log (AUD-02), the query screen, and each proposal's decision page."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from identity_registry.history_admin import ReadOnlyHistoryAdmin
from insi.admin_views import insi_query_view
from insi.models import InsiCall, InsiProposal
from insi.proposal_page import DECIDE_PERMISSION, proposal_page_view


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
    """Issue 12: each row opens the proposal's own page, where a referent decides (INSI-06)."""

    list_display = ["created_at", "identity", "kind", "state", "created_by", "decided_by", "decided_at"]
    list_display_links = ["created_at", "identity"]
    list_filter = ["kind", "state"]
    list_select_related = ["patient", "created_by", "decided_by"]
    show_facets = admin.ShowFacets.NEVER

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Only the decision changes a proposal (INSI-06): the page has no form over its fields.
        return request.user.has_perm(DECIDE_PERMISSION) and request.user.has_perm("insi.change_insiproposal")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {"title": "Propositions INSi", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Identité", ordering="patient__birth_name")
    def identity(self, obj: InsiProposal) -> str:
        patient = obj.patient
        return f"{patient.birth_name} {patient.first_name} · IPP {patient.ipp}"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404("Cette proposition INSi n'existe pas.")
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        return proposal_page_view(request, proposal, self.admin_site.each_context(request))
