"""The journal of merges, read-only (RNIV AUD-05): referents and auditors see who merged what, when and why."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from identity_registry.history_admin import ReadOnlyHistoryAdmin
from patients.admin.pagination import BoundedCountPaginator
from patients.links import MergeRecord


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyHistoryAdmin):
    list_display = ["merged_at", "merged", "survivor", "merged_by", "unmerged_at", "unmerged_by"]
    list_filter = [("merged_at", admin.DateFieldListFilter), ("unmerged_at", admin.EmptyFieldListFilter)]
    list_select_related = ["merged", "survivor", "merged_by", "unmerged_by"]
    readonly_fields = [
        "survivor",
        "merged",
        "reason",
        "merged_by",
        "merged_at",
        "moved",
        "unmerged_at",
        "unmerged_by",
        "unmerge_reason",
    ]
    exclude = ["survivor_before", "merged_before"]
    show_full_result_count = False
    paginator = BoundedCountPaginator

    # Merges are made and undone from the identity page, through the services; this journal only reads.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
