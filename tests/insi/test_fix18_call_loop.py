"""Item 18: the INSi service owns its call loop; the plan is pure, bounded, and the identity is locked once."""

import re
import subprocess
import sys
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from insi.matching import LocalTraits, SearchPlan, max_queries, precheck
from insi.models import InsiCall, InsiProposal
from insi.services import insi_search_for_patient, insi_verify_patient
from tests.insi.helpers import calls_of

ROW_READ = re.compile(r'FROM "patients_patient" WHERE "patients_patient"\."id" = ')


def _patient_reads(action) -> tuple[int, int]:
    """How often the action reads the identity row, and how many of those reads lock it."""
    with CaptureQueriesContext(connection) as ctx:
        action()
    reads = [q["sql"] for q in ctx.captured_queries if ROW_READ.search(q["sql"])]
    return len(reads), sum("FOR UPDATE" in sql for sql in reads)


def _expected_locks() -> int:
    # SQLite has no row locks: Django sends no FOR UPDATE there, so only the read count is telling.
    return 1 if connection.features.has_select_for_update else 0


@pytest.mark.django_db
def test_fix18_a_retrieval_reads_the_identity_twice_and_locks_it_once(make_person, agent):
    patient = make_person("ADRUN")
    reads, locks = _patient_reads(lambda: insi_search_for_patient(actor=agent, patient=patient))
    patient.refresh_from_db()
    assert patient.ins_matricule == "275126322074974"
    # Once before the calls (outside any transaction, INSI-02), once locked to record the INS.
    assert (reads, locks) == (2, _expected_locks())


@pytest.mark.django_db
def test_fix18_a_proposal_reads_the_identity_twice_and_locks_it_once(make_person, agent):
    # INSi returns two first names where the identity holds one: a referent decides (INSI-06).
    patient = make_person("NESSI", first_names="MICHELANGELO")
    reads, locks = _patient_reads(lambda: insi_search_for_patient(actor=agent, patient=patient))
    assert InsiProposal.objects.filter(patient=patient, state=InsiProposal.State.PENDING).exists()
    assert (reads, locks) == (2, _expected_locks())


@pytest.mark.django_db
def test_fix18_a_verification_reads_the_identity_twice_and_locks_it_once(make_person, agent):
    patient = insi_search_for_patient(actor=agent, patient=make_person("ADRUN")).patient
    reads, locks = _patient_reads(lambda: insi_verify_patient(actor=agent, patient=patient))
    assert InsiCall.objects.filter(patient=patient, outcome=InsiCall.Outcome.VERIFIED).count() == 1
    assert (reads, locks) == (2, _expected_locks())


@pytest.mark.django_db
def test_fix18_a_search_that_finds_nobody_sends_each_query_once(make_person, agent):
    # HOUILLES gets 01 to every request: the first name, each other one, then all of them, and nothing more.
    patient = make_person("HOUILLES")
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    sent = [call.sent_first_name for call in calls_of(patient)]
    assert sent == ["PIERRE", "PAUL", "JACQUES", "PIERRE PAUL JACQUES"]
    assert outcome.cr == "01"
    assert len(outcome.calls) == 4


NAMES = st.sampled_from(["ANNE", "MARIE", "JEAN", "LUC", "PIERRE-ALAIN", "ELOI"])


@given(
    names=st.lists(NAMES, min_size=1, max_size=6),
    birthplace=st.sampled_from(["", "63220", "99999"]),
    answers=st.lists(st.sampled_from(["00", "01", "02"]), min_size=12, max_size=12),
)
def test_fix18_the_plan_ends_within_its_bound_and_never_repeats_a_query(names, birthplace, answers):
    local = LocalTraits(
        birth_name="DURAND",
        first_name=names[0],
        first_names=" ".join(names),
        sex="F",
        birth_date=date(1972, 6, 3),
        birthplace_cog=birthplace,
    )
    sendable = precheck(local)
    # The bound the README states: the number of first names + 4.
    assert max_queries(sendable) <= len(names) + 4
    plan = SearchPlan.start(sendable)
    sent = []
    while (query := plan.next_query()) is not None:
        assert len(sent) < max_queries(sendable), "the plan went past its bound"
        sent.append(query)
        plan = plan.record(query, answers[len(sent) - 1])
    assert sent, "a search sends at least one query"
    assert len(set(sent)) == len(sent)
    crs = [cr for _, cr in plan.attempts]
    # The search stops at the first 00, and that answer decides.
    if "00" in crs:
        assert crs.index("00") == len(crs) - 1
        assert plan.deciding == len(crs) - 1
    elif "02" in crs:
        assert crs[plan.deciding] == "02"


def test_fix18_the_matching_package_and_the_client_contract_import_no_settings():
    code = (
        "import sys, insi.client, insi.matching; "
        "loaded = sorted(m for m in sys.modules if m.startswith('django')); "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
