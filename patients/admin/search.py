"""The patient search box without traits in URLs: the typed text is posted, kept in the session, referenced by a token.

Django's admin searches with GET (``?q=DUPONT``), which would write names and INS into browser history,
proxy and server logs. Here the form posts; the list URL only carries an opaque ``recherche`` token.
"""

import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.http import HttpRequest, QueryDict

SEARCH_REF_VAR = "recherche"
SESSION_KEY = "patient_searches"
KEPT_SEARCHES = 20
# Form fields of the search form that are not list filters.
NOT_FILTERS = {"csrfmiddlewaretoken", SEARCH_VAR, SEARCH_REF_VAR, PAGE_VAR}


def remember_search(request: HttpRequest, text: str) -> str:
    """Keep the typed text in the (server-side) session and return the token that stands for it."""
    searches = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(8)
    searches[token] = text
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return token


def list_query(request: HttpRequest, token: str) -> str:
    """The list URL's query string after a posted search: the filters that were active, and the token."""
    params = [(key, value) for key, values in request.POST.lists() if key not in NOT_FILTERS for value in values]
    if token:
        params.append((SEARCH_REF_VAR, token))
    return f"?{urlencode(params)}" if params else ""


def expand_search_token(request: HttpRequest) -> None:
    """Swap the ``recherche`` token of the list URL for the text it stands for, as the admin expects."""
    token = request.GET.get(SEARCH_REF_VAR)
    if token is None:
        return
    params: QueryDict = request.GET.copy()
    del params[SEARCH_REF_VAR]
    text = request.session.get(SESSION_KEY, {}).get(token)
    if text:
        params[SEARCH_VAR] = text
        request.patient_search_token = token
    request.GET = params


class PrivateSearchChangeList(ChangeList):
    """A change list whose links (pages, sorting, filters) carry the search token, never the typed text."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.search_token = getattr(request, "patient_search_token", "")
        super().__init__(request, *args, **kwargs)

    def get_query_string(self, new_params: dict | None = None, remove: list | None = None) -> str:
        new_params = dict(new_params or {})
        remove = [*(remove or []), SEARCH_VAR]
        if self.search_token and SEARCH_REF_VAR not in new_params:
            new_params[SEARCH_REF_VAR] = self.search_token
        return super().get_query_string(new_params, remove)
