"""django-axes' log-in audit in the admin, with its instants in Europe/Paris (issue 8 item 11, issue 11).

axes names its rows by their UTC instant (``Access Log for x @ 2026-01-15 23:30:00+00:00``); the change and
history pages put that name in their heading. These admins name a row by its Paris time instead.
"""

from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from identity_registry.local_time import local_datetime


def login_row_name(obj: Any) -> str:
    return f"{obj.username or '—'} · {local_datetime(obj.attempt_time)}"


class LocalTimeNameMixin:
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        context = {"subtitle": login_row_name(obj)} if obj is not None else {}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        context = {"title": f"Historique des changements : {login_row_name(obj)}"} if obj is not None else {}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})


class AccessAttemptAdmin(LocalTimeNameMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(LocalTimeNameMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(LocalTimeNameMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
