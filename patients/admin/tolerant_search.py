"""The patient list's search box, forgiving typos (RNIV TR-05, issue 9): a ranked queryset with reasons."""

from django.contrib.admin.views.main import IGNORED_PARAMS, ORDER_VAR, SEARCH_VAR
from django.db.models import Case, CharField, IntegerField, QuerySet, Value, When
from django.http import HttpRequest

from patients.admin.search import PrivateSearchChangeList
from patients.search.selectors import patient_tolerant_search

PREFILL_SESSION_KEY = "patient_create_prefill"
NOT_FILTERS = {*IGNORED_PARAMS, SEARCH_VAR}


def has_list_filters(request: HttpRequest) -> bool:
    """Whether the agent asked for a filtered list (a status, an attribute): that is a search too."""
    return any(key not in NOT_FILTERS for key in request.GET)


def ranked_queryset(queryset: QuerySet, text: str) -> tuple[QuerySet, list[str]]:
    """The identities the text may mean, annotated with their rank and, in French, why they matched.

    Returns the queryset and the typed tokens that were not understood (an impossible date, say).
    """
    query, hits = patient_tolerant_search(text=text)
    if not hits:
        empty = queryset.none().annotate(match_rank=Value(0), match_reasons=Value(""))
        return empty, query.invalid
    ranks = [When(pk=hit.patient_id, then=Value(position)) for position, hit in enumerate(hits)]
    reasons = [When(pk=hit.patient_id, then=Value(hit.ranking.label)) for hit in hits]
    ranked = queryset.filter(pk__in=[hit.patient_id for hit in hits]).annotate(
        match_rank=Case(*ranks, output_field=IntegerField()),
        match_reasons=Case(*reasons, output_field=CharField()),
    )
    return ranked, query.invalid


class RankedChangeList(PrivateSearchChangeList):
    """After a search, the list is in rank order (exact first, then by similarity) unless a column is sorted."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: list | None = None) -> QuerySet:
        # Django orders before it searches; the rank only exists once the search has run.
        qs = super().get_queryset(request, exclude_parameters)
        if ORDER_VAR not in self.params and "match_rank" in qs.query.annotations:
            qs = qs.order_by("match_rank", "pk")
        return qs

    def get_ordering_field_columns(self) -> dict:
        # Ranked results: no column header claims to be the sort order.
        if self.query.strip() and ORDER_VAR not in self.params:
            return {}
        return super().get_ordering_field_columns()
