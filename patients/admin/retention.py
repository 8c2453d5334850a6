"""Retention purges and API tokens' state in the admin: read-only (RNIV AUD-01, AUD-02; issue 11)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patients.api_tokens import ApiTokenState
from patients.records import RetentionPurge


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionPurge)
class RetentionPurgeAdmin(ReadOnlyAdmin):
    list_display = ["purged_at", "table", "before", "rows_deleted", "actor", "reason"]
    list_filter = ["table"]


@admin.register(ApiTokenState)
class ApiTokenStateAdmin(ReadOnlyAdmin):
    list_display = ["token__user", "token__created", "last_used_at", "revoked_at"]
    list_select_related = ["token__user"]
