"""Bundles of the search and of $match (pure: the caller gives the URLs)."""

from collections.abc import Callable
from typing import Any

from fhir_api import codes


def searchset(
    entries: list[tuple[dict[str, Any], dict[str, Any]]],
    *,
    total: int,
    links: dict[str, str],
    full_url: Callable[[str], str],
) -> dict[str, Any]:
    """A searchset Bundle: each entry a resource with its ``search`` element; links self, next, previous."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links.items()],
        "entry": [
            {"fullUrl": full_url(resource["id"]), "resource": resource, "search": search}
            for resource, search in entries
        ],
    }


def match_search(score: float, grade: str) -> dict[str, Any]:
    """The ``search`` element of a $match entry: score (0..1) and the match-grade extension."""
    return {
        "extension": [{"url": codes.MATCH_GRADE, "valueCode": grade}],
        "mode": "match",
        "score": round(score, 4),
    }
