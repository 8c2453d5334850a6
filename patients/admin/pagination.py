"""A paginator for large tables: it never counts more rows than it can show."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedCountPaginator(Paginator):
    """Count at most ``max_count`` rows, so a list page never runs an unbounded ``COUNT(*)``.

    The count runs as ``SELECT COUNT(*) FROM (... LIMIT max_count + 1)``: on a table of millions of
    identities it stops early. Past the cap the page says "more than N" and the agent refines the search.
    """

    max_count = 1000
    count_is_capped = False

    @cached_property
    def count(self) -> int:
        window = self.object_list[: self.max_count + 1]
        counted = window.count() if hasattr(window, "count") and callable(window.count) else len(window)
        if isinstance(counted, int) and counted > self.max_count:
            self.count_is_capped = True
            return self.max_count
        return counted
