"""A referent's decision locks the identity first, once, then the proposal, like a search (no deadlock)."""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from insi.models import InsiProposal
from insi.services import insi_decide_proposal, insi_search_for_patient
from tests.factories import UserFactory
from tests.insi.test_services import _durand, extra_first_name_data  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _locked_tables(queries: list[dict]) -> list[str]:
    """The tables locked FOR UPDATE, in the order the statements ran."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql:
            tables.append(re.search(r'FROM "(\w+)"', sql).group(1))
    return tables


def _pending_proposal(agent) -> InsiProposal:
    patient = _durand(agent).patient
    outcome = insi_search_for_patient(actor=agent, patient=patient)
    assert outcome.proposal is not None
    return outcome.proposal


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SELECT ... FOR UPDATE is a no-op on SQLite: run with DATABASE_URL=postgres://...")


def test_fix14_decision_locks_the_patient_once_then_the_proposal(extra_first_name_data, agent):  # noqa: F811
    _require_postgresql()
    proposal = _pending_proposal(agent)
    referent = UserFactory(username="referent-lock")
    with CaptureQueriesContext(connection) as captured:
        insi_decide_proposal(actor=referent, proposal=proposal, accept=True, justification="Acte de naissance vu")
    locked = _locked_tables(captured.captured_queries)
    assert locked[:2] == ["patients_patient", "insi_insiproposal"]
    assert locked.count("patients_patient") == 1


def test_fix14_decision_waits_for_a_search_holding_the_patient_instead_of_deadlocking(
    extra_first_name_data,  # noqa: F811
    agent,
):
    """A search holds the identity, then takes the proposals; a decision started meanwhile waits for it."""
    _require_postgresql()
    proposal = _pending_proposal(agent)
    referent = UserFactory(username="referent-lock")
    patient_locked, decision_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def search_like_holder() -> None:
        try:
            with transaction.atomic():
                from patients.services import lock_patient

                lock_patient(proposal.patient_id)
                patient_locked.set()
                # The decision must not get the proposal lock while we hold the identity.
                decision_done.wait(1.0)
                list(InsiProposal.objects.select_for_update().filter(patient_id=proposal.patient_id))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def decider() -> None:
        try:
            patient_locked.wait(5)
            insi_decide_proposal(actor=referent, proposal=proposal.pk, accept=False, justification="Homonyme")
        except BaseException as exc:
            errors.append(exc)
        finally:
            decision_done.set()
            connections.close_all()

    threads = [threading.Thread(target=search_like_holder), threading.Thread(target=decider)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert errors == []
    assert InsiProposal.objects.get(pk=proposal.pk).state == InsiProposal.State.REJECTED
