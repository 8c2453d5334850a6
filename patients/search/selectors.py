"""Fetch the identities a tolerant search may mean, then rank them in code (RNIV TR-05).

Retrieval is cheap and generous; ``query.rank`` decides. A birth date or an INS narrows the rows by
index. Names alone use the trigram GIN indexes of migration 0002 on PostgreSQL (``%`` similarity on the
search keys, for each word and each pair of neighbouring words); SQLite, for development, falls back
to substring tests on three-letter pieces of each word, which survive one typo.
"""

from dataclasses import dataclass
from functools import reduce
from itertools import pairwise
from operator import or_

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from patients import lookup
from patients.duplicates.scoring import swapped
from patients.models import Patient
from patients.search.query import Ranking, Reason, SearchQuery, classify_tokens, rank

FETCH_LIMIT = 500
RANKED_FIELDS = ("birth_name", "used_name", "first_names", "birth_date", "ins_matricule")


@dataclass(frozen=True)
class SearchHit:
    patient_id: int
    ranking: Ranking


def _name_rows(query: SearchQuery) -> QuerySet[Patient]:
    words = [w for w in query.words if len(w) >= 3]
    runs = words + [a + b for a, b in pairwise(query.words)]
    if not runs:
        return Patient.objects.none()
    if connection.vendor == "postgresql":
        # "%" uses the trigram GIN indexes; one OR branch per run keeps every branch indexable.
        clauses = " OR ".join(["birth_name_key %% %s OR used_name_key %% %s OR first_names_key %% %s"] * len(runs))
        params = [run for run in runs for _ in range(3)]
        # Only constant fragments are formatted in; every typed value is a bound parameter.
        ids = RawSQL(  # noqa: S611
            f"SELECT id FROM patients_patient WHERE is_active AND ({clauses}) LIMIT {FETCH_LIMIT}",  # noqa: S608
            params,
        )
        return Patient.objects.filter(pk__in=ids)
    pieces = {r[:3] for r in runs} | {r[-3:] for r in runs}
    match = [
        Q(birth_name_key__contains=p) | Q(used_name_key__contains=p) | Q(first_names_key__contains=p) for p in pieces
    ]
    return Patient.objects.filter(reduce(or_, match))


def candidate_rows(query: SearchQuery) -> QuerySet[Patient]:
    """The rows worth ranking: by INS, else by birth date (and its swap), else by names."""
    qs = Patient.objects.filter(is_active=True)
    if query.ins:
        return qs.filter(ins_matricule=query.ins)
    if query.birth_dates:
        dates = set(query.birth_dates) | {s for s in map(swapped, query.birth_dates) if s}
        return qs.filter(birth_date__in=dates)
    return qs & _name_rows(query)


def _direct_hits(query: SearchQuery, text: str) -> list[SearchHit]:
    """Identities named by a number rather than traits (issue 9): an IPP, or another system's identifier.

    A merged identity's IPP finds its survivor (AUD-05). An identifier is looked up only when the text
    holds a digit (``OLD-4242``, ``77 001``): names go to the tolerant ranking.
    """
    if query.ipp:
        found = lookup.patient_by_ipp(ipp=query.ipp).filter(is_active=True)
        return [SearchHit(pk, Ranking(1.0, True, (Reason.IPP,))) for pk in found.values_list("pk", flat=True)]
    if not query.ins and any(ch.isdigit() for ch in text or ""):
        found = lookup.patients_by_identifier_text(text)
        if found is not None:
            return [
                SearchHit(pk, Ranking(1.0, True, (Reason.IDENTIFIER,))) for pk in found.values_list("pk", flat=True)
            ]
    return []


def patient_tolerant_search(*, text: str, limit: int = 50) -> tuple[SearchQuery, list[SearchHit]]:
    """Search from one box, forgiving typos; exact matches first, then by similarity (TR-05).

    An IPP or an identifier of another system finds its identity first (issue 9).
    """
    query = classify_tokens(text)
    direct = _direct_hits(query, text)
    if direct and not (query.words or query.birth_dates):
        query.invalid = []  # "OLD-4242" was understood: as an identifier
        return query, direct[:limit]
    if query.is_empty or (query.ipp and not (query.words or query.birth_dates)):
        return query, direct
    hits = list(direct)
    seen = {hit.patient_id for hit in hits}
    for row in candidate_rows(query).values("pk", *RANKED_FIELDS)[:FETCH_LIMIT]:
        ranking = rank(query, row) if row["pk"] not in seen else None
        if ranking is not None:
            hits.append(SearchHit(row["pk"], ranking))
    hits.sort(key=lambda hit: (not hit.ranking.exact, -hit.ranking.score, hit.patient_id))
    return query, hits[:limit]
