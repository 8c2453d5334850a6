"""The queries a search sends, in full (INSI.md "How a good client searches", TR-06, INSI-08).

Every query carries the birth name, sex and birth date; the birthplace only after a 02, never 99999.
"""

from datetime import date

from insi.client import InsiResult, TraitsQuery
from insi.matching import LocalTraits, initial_queries, precheck, queries_after_multiple, run_search


def local(**kw) -> LocalTraits:
    base = {
        "birth_name": "DURAND",
        "first_name": "LEO",
        "first_names": "LEO MAX",
        "sex": "M",
        "birth_date": date(1972, 6, 3),
        "birthplace_cog": "63220",
    }
    return LocalTraits(**{**base, **kw})


def query(first_name: str, birthplace: str = "") -> TraitsQuery:
    return TraitsQuery("DURAND", first_name, "M", "1972-06-03", birthplace)


def test_the_first_queries_carry_every_strict_trait_but_the_birthplace():
    assert initial_queries(precheck(local())) == [query("LEO"), query("MAX"), query("LEO MAX")]


def test_a_first_name_that_is_not_first_in_the_list_is_tried_then_the_others_then_all():
    sendable = precheck(local(first_name="MAX", first_names="LEO MAX"))
    assert initial_queries(sendable) == [query("MAX"), query("LEO"), query("LEO MAX")]


def test_insi08_on_02_the_birthplace_is_added_then_all_first_names_then_both():
    sendable = precheck(local())
    assert queries_after_multiple(sendable, query("LEO")) == [
        query("LEO", "63220"),
        query("LEO MAX"),
        query("LEO MAX", "63220"),
    ]


def test_tr06_without_a_known_birthplace_a_02_only_adds_the_first_names():
    for unknown in ("", "99999"):
        sendable = precheck(local(birthplace_cog=unknown))
        assert queries_after_multiple(sendable, query("LEO")) == [query("LEO MAX")]


def _answering(answers: dict[TraitsQuery, InsiResult]):
    def send(q: TraitsQuery) -> InsiResult:
        return answers.get(q, InsiResult("01", label="Aucune identité trouvée", raw=b"<01/>"))

    return send


def test_insi02_when_nobody_is_found_on_any_query_the_answer_is_01():
    run = run_search(precheck(local()), _answering({}))
    assert (run.cr, run.result.label, run.result.raw) == ("01", "Aucune identité trouvée", b"<01/>")
    assert run.attempts == ((query("LEO"), "01"), (query("MAX"), "01"), (query("LEO MAX"), "01"))


def test_insi08_several_identities_then_none_on_narrower_queries_answers_the_02_with_its_own_label():
    several = InsiResult("02", label="Plusieurs identités", raw=b"<02/>")
    run = run_search(precheck(local()), _answering({query("LEO"): several}))
    assert (run.cr, run.result.label) == ("02", "Plusieurs identités")
    assert [cr for _, cr in run.attempts] == ["02", "01", "01", "01"]


def test_insi08_several_identities_on_the_last_query_keeps_its_label():
    several = InsiResult("02", label="Plusieurs identités", raw=b"<02/>")
    answers = dict.fromkeys((query("LEO"), query("LEO", "63220"), query("LEO MAX"), query("LEO MAX", "63220")), several)
    run = run_search(precheck(local()), _answering(answers))
    assert (run.cr, run.result.label) == ("02", "Plusieurs identités")


def test_the_search_stops_at_the_first_00_and_keeps_every_attempt():
    found = InsiResult("00", label="OK")
    run = run_search(precheck(local()), _answering({query("MAX"): found}))
    assert run.result == found
    assert run.attempts == ((query("LEO"), "01"), (query("MAX"), "00"))
