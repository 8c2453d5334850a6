"""Fetch the identities a tolerant search may mean, then rank them in code (RNIV TR-05).

Retrieval is cheap and generous; ``query.rank`` decides. A birth date or an INS narrows the rows by
index. Names alone, on PostgreSQL (issue 10), are anchored on a word typed exactly (btree indexes), the
other words within two edits; only when no word is exact do the trigram GIN indexes of migration 0002
look for every word, the most similar first. SQLite, for development, falls back to substring tests on
three-letter pieces of each word, which survive one typo.
"""

from dataclasses import dataclass
from functools import reduce
from itertools import pairwise
from operator import or_
from typing import Any

from django.db import connection, connections, router
from django.db.models import Q, QuerySet

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


def _edits(text: str) -> int:
    """The edits forgiven in a word: two from four letters, one in three, none below."""
    return 2 if len(text) >= 4 else 1 if len(text) == 3 else 0


def _word_filter(word: str, joined: list[str], inside: bool = False) -> tuple[str, list[Any]]:
    """SQL that keeps an anchored row when ``word`` is in one of its names, or within a few edits of one.

    ``joined`` are the word run together with its neighbours ("DUBE LAMBRT" for a stored DUBELAMBERT):
    they are compared with the whole birth and used names. The columns are the anchors' ``b``, ``u``, ``f``.
    With ``inside``, a word with one edit may also be a part of a compound name (a second, rarer query: the
    regular expression costs more per row than the rest).
    """
    parts = ["strpos(b, %s) > 0 OR strpos(u, %s) > 0 OR strpos(f, %s) > 0"]
    params: list[Any] = [word, word, word]
    for text in [word, *joined]:
        edits = _edits(text)
        parts.append("levenshtein_less_equal(b, %s, %s) <= %s OR levenshtein_less_equal(u, %s, %s) <= %s")
        params += [text, edits, edits] * 2
    parts.append("levenshtein_less_equal(split_part(f, '|', 1), %s, %s) <= %s")
    params += [word, _edits(word), _edits(word)]
    pattern = _one_edit_inside(word) if inside else None
    if pattern:
        # A typo in one part of a compound name ("DOS SANTOS-LE RROUX" for DOSSANTOSLEROUX).
        parts.append("b ~ %s OR u ~ %s")
        params += [pattern, pattern]
    return f"({' OR '.join(parts)})", params


def _one_edit_inside(word: str) -> str | None:
    """A regular expression found in a name that holds ``word`` with one letter wrong, missing, added or two
    letters swapped: from three letters (keys are capital letters only, so nothing needs escaping)."""
    if len(word) < 3 or not (word.isascii() and word.isalpha()):
        return None
    variants = {word[:i] + word[i + 1 :] for i in range(len(word))}  # a letter typed too many
    variants |= {word[:i] + "." + word[i + 1 :] for i in range(len(word))}  # a wrong letter
    variants |= {word[:i] + "." + word[i:] for i in range(len(word) + 1)}  # a letter missing
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}  # two swapped
    return "|".join(sorted(variants))


# Each anchor alone, so that each is an index-only scan (the keys are INCLUDEd, migration 0023).
ANCHOR = (
    "SELECT id, birth_name_key AS b, used_name_key AS u, first_names_key AS f FROM patients_patient WHERE is_active"
)


PREFIX = 3  # the letters a mistyped word is anchored on, when no word at all was typed exactly


def _anchored_rows(query: SearchQuery, inside: bool = False, prefix: bool = False) -> list[dict[str, Any]]:
    """Names alone on PostgreSQL: the rows anchored on a word typed exactly, ranked exact-first (issue 10).

    An anchor is a word (or two neighbouring words run together, "DUBE LAMBERT") that is exactly the birth
    or used name, or a word that is exactly the first first name: btree indexes (``varchar_pattern_ops``)
    find them. Each other word must then be in a name, or within two edits of one (``fuzzystrmatch``), so a
    typo in one word is forgiven as long as one word is right. Rows where more words are exact come first.

    With ``prefix`` (every word mistyped, "DUPOMT MAIRE"), the anchors are the first letters of each word
    of four letters or more instead: typos are rarer at the start of a word, and these are still btree
    range scans, where the trigram indexes would read a hundred thousand rows at 1M identities.
    """
    words = query.words
    pairs = [a + b for a, b in pairwise(words)]
    runs = list(dict.fromkeys(words + pairs))
    columns = ("birth_name_key", "used_name_key", "first_names_key")
    anchors: list[str] = []
    params: list[Any] = []
    if prefix:
        starts = list(dict.fromkeys(word[:PREFIX] for word in words if len(word) > PREFIX))
        for start in starts:
            anchors += [f"{ANCHOR} AND {column} LIKE %s" for column in columns]
            params += [f"{start}%"] * len(columns)
        if not anchors:
            return []
    else:
        anchors += [f"{ANCHOR} AND {column} = ANY(%s)" for column in columns]
        params += [runs] * len(columns)
        for run in runs:  # the first first name, "JEAN PIERRE" included for JEANPIERRE
            anchors.append(f"{ANCHOR} AND first_names_key LIKE %s")
            params.append(f"{run}|%")
    exact = "(b = %s OR u = %s OR f = %s OR f LIKE %s)::int"
    for run in runs:
        params += [run, run, run, f"{run}|%"]
    filters = []
    for i, word in enumerate(words):
        sql, values = _word_filter(word, pairs[max(i - 1, 0) : i + 1], inside)
        filters.append(sql)
        params += values
    fields = ", ".join(f"p.{name}" for name in RANKED_FIELDS)
    # Only constant fragments are formatted in; every typed value is a bound parameter.
    sql = (
        f"WITH anchored AS ({' UNION '.join(anchors)})"  # noqa: S608
        f" SELECT p.id AS pk, {fields} FROM ("
        f"SELECT id, {' + '.join([exact] * len(runs))} AS exact FROM anchored WHERE {' AND '.join(filters)}"
        f" ORDER BY exact DESC, id LIMIT {FETCH_LIMIT}"
        ") AS found JOIN patients_patient p ON p.id = found.id ORDER BY found.exact DESC, found.id"
    )
    return _fetch(sql, params)


def _trigram_rows(query: SearchQuery) -> list[dict[str, Any]]:
    """Names alone, none typed exactly: rows close to a word by trigrams (GIN), the most similar first.

    The fallback of ``_anchored_rows`` (every word mistyped, or one mistyped word alone): each word of three
    letters or more, and each pair of neighbouring words run together ("DUBE LAMBRT"), is looked for with
    ``%`` in the names and ``%>`` in the first names; the sum of the similarities orders the rows, so the
    limit keeps the closest and the ranking decides.
    """
    runs = list(dict.fromkeys([w for w in query.words if len(w) >= 3] + [a + b for a, b in pairwise(query.words)]))
    if not runs:
        return []
    clause = "birth_name_key %% %s OR used_name_key %% %s OR first_names_key %%> %s"
    score = (
        "GREATEST(similarity(birth_name_key, %s), similarity(used_name_key, %s), word_similarity(%s, first_names_key))"
    )
    params = [run for run in runs for _ in range(3)]
    sql = (
        f"SELECT id AS pk, {', '.join(RANKED_FIELDS)} FROM patients_patient"  # noqa: S608
        f" WHERE is_active AND ({' OR '.join([clause] * len(runs))})"
        f" ORDER BY {' + '.join([score] * len(runs))} DESC, id LIMIT {FETCH_LIMIT}"
    )
    return _fetch(sql, params + params)


def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connections[router.db_for_read(Patient)].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _sqlite_name_rows(query: SearchQuery) -> QuerySet[Patient]:
    """SQLite, for development: substring tests on three-letter pieces of each word (they survive one typo)."""
    runs = [w for w in query.words if len(w) >= 3] + [a + b for a, b in pairwise(query.words)]
    if not runs:
        return Patient.objects.none()
    pieces = {r[:3] for r in runs} | {r[-3:] for r in runs}
    match = [
        Q(birth_name_key__contains=p) | Q(used_name_key__contains=p) | Q(first_names_key__contains=p) for p in pieces
    ]
    return Patient.objects.filter(reduce(or_, match))


def candidate_rows(query: SearchQuery) -> list[dict[str, Any]]:
    """The rows worth ranking: by INS, else by birth date (and its swap), else by names."""
    qs = Patient.objects.filter(is_active=True)
    if query.ins:
        qs = qs.filter(ins_matricule=query.ins)
    elif query.birth_dates:
        dates = set(query.birth_dates) | {s for s in map(swapped, query.birth_dates) if s}
        qs = qs.filter(birth_date__in=dates)
    elif connection.vendor == "postgresql":
        return _anchored_rows(query)
    else:
        qs = qs & _sqlite_name_rows(query)
    return list(qs.values("pk", *RANKED_FIELDS)[:FETCH_LIMIT])


def _ranked(query: SearchQuery, rows: list[dict[str, Any]], seen: set[int]) -> list[SearchHit]:
    hits = []
    for row in rows:
        ranking = rank(query, row) if row["pk"] not in seen else None
        if ranking is not None:
            hits.append(SearchHit(row["pk"], ranking))
    return hits


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


def _names_alone(query: SearchQuery) -> bool:
    return bool(query.words) and not (query.ins or query.birth_dates)


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
    hits += _ranked(query, candidate_rows(query), seen)
    if len(hits) == len(direct) and _names_alone(query) and connection.vendor == "postgresql":
        # Nothing found: a word may be a mistyped part of a compound name, else no word was typed exactly:
        # the trigram fallback (issue 10: only then, it reads more of the index).
        if len(query.words) > 1:
            hits += _ranked(query, _anchored_rows(query, inside=True), seen)
        if len(hits) == len(direct):
            hits += _ranked(query, _anchored_rows(query, inside=True, prefix=True), seen)
        if len(hits) == len(direct):
            hits += _ranked(query, _trigram_rows(query), seen)
    hits.sort(key=lambda hit: (not hit.ranking.exact, -hit.ranking.score, hit.ranking.reading, hit.patient_id))
    return query, hits[:limit]
