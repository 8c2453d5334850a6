"""Read-only history screens for every audited model (RNIV AUD-01, AUD-02): no revert, no edit, for anybody.

simple-history's version page ("revert") saves whatever is posted to it, even with revert disabled and
whatever the change permission says. Every admin that shows a simple-history history inherits
``ReadOnlyHistoryAdmin``; the system check ``identity_registry.E010`` refuses to start otherwise.
"""

from datetime import date, datetime
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.checks import Error, Tags, register
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from identity_registry.local_time import local_datetime

READ_METHODS = ("GET", "HEAD")


class LocalTimeContextHelper(HistoricalRecordContextHelper):
    """The changes listed on a history page, with dates and times as agents read them (Europe/Paris)."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        # Issue 12: an empty value reads "—", not "None" nor "Deleted utilisateur (pk=None)".
        if value is None or value == "" or (hasattr(value, "pk") and value.pk is None):
            return "—"
        if isinstance(value, datetime):
            return local_datetime(value)
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's history list and version pages, shown read-only; a POST to them is refused (403)."""

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        if request.method not in READ_METHODS:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.method not in READ_METHODS:
            raise PermissionDenied
        # The version is shown as values, not as a form whose fields look editable.
        request._history_version_read_only = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any):
        return LocalTimeContextHelper(self.model, historical_record)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not getattr(request, "_history_version_read_only", False):
            return readonly
        # get_fieldsets() asks for the read-only fields again: answer it as for an ordinary page meanwhile.
        request._history_version_read_only = False
        try:
            shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        finally:
            request._history_version_read_only = True
        return [*readonly, *(name for name in shown if name not in readonly)]


def history_admins_that_write(site: admin.AdminSite) -> list[str]:
    """Labels of the registered models whose simple-history admin is not read-only."""
    return [
        model._meta.label
        for model, model_admin in site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]


@register(Tags.admin, Tags.security)
def check_history_admins_read_only(app_configs, **kwargs) -> list[Error]:
    """Refuse to start while a history admin could write through its version page (AUD-01)."""
    return [
        Error(
            f"The admin of {label} uses SimpleHistoryAdmin, whose version page saves what is posted to it.",
            hint="Inherit identity_registry.history_admin.ReadOnlyHistoryAdmin instead.",
            obj=label,
            id="identity_registry.E010",
        )
        for label in history_admins_that_write(admin.site)
    ]
