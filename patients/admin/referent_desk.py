"""The referent's desk (issue 12): what waits for the identity-vigilance referent, counted, with links."""

from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from patients.extensions import WorkList, work_lists
from patients.roles import REFERENT_DESK_PERMISSION


@dataclass(frozen=True)
class Counter:
    key: str
    label: str
    rule: str
    help_text: str
    count: int
    url: str


def desk_counters(*, user: object) -> list[Counter]:
    """One COUNT per work list the user may read; the link opens the admin list of exactly those rows."""
    shown: list[WorkList] = [w for w in work_lists() if user.has_perm(w.permission)]
    return [Counter(w.key, w.label, w.rule, w.help_text, w.rows().order_by().count(), w.url()) for w in shown]


def referent_desk_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(REFERENT_DESK_PERMISSION):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Bureau du référent en identitovigilance",
        "subtitle": None,
        "counters": desk_counters(user=request.user),
    }
    return TemplateResponse(request, "admin/patients/referent/desk.html", context)
