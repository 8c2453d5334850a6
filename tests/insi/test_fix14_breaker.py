"""Issue 14 item 12: the circuit breaker opens after N transient failures and closes after its delay."""

import logging
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from identity_registry.exceptions import InsiUnavailable
from insi.backends.simulator import SimulatorClient
from insi.breaker import BreakerOpen
from insi.client import InsiTechnicalError
from insi.models import InsiBreaker, InsiCall
from insi.reverify import FAILED, VERIFIED, ReverifyBatch
from insi.services import insi_search_for_patient
from patients.roles import AGENT
from tests.insi.helpers import role_user
from tests.insi.test_reverify import qualified_people  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
LOCK = threading.Lock()


class FailingThenWorking(SimulatorClient):
    """A backend that fails (transient, like insi_102) for its first ``failures`` calls, then answers."""

    def __init__(self, failures: int = 10**6, *, permanent: bool = False) -> None:
        super().__init__()
        self.failures, self.permanent, self.calls = failures, permanent, 0

    def _maybe_fail(self) -> None:
        with LOCK:
            self.calls += 1
            failing = self.calls <= self.failures
        if failing:
            raise InsiTechnicalError("SOAP fault siram_40/insi_102", permanent=self.permanent, code="insi_102")

    def search_by_traits(self, query):
        self._maybe_fail()
        return super().search_by_traits(query)

    def verify(self, query):
        self._maybe_fail()
        return super().verify(query)


@pytest.fixture
def breaker(settings):
    settings.INSI_BREAKER_THRESHOLD = 3
    settings.INSI_BREAKER_DELAY = 600
    return settings


def _search(agent, patient, client):
    with pytest.raises(InsiUnavailable) as caught:
        insi_search_for_patient(actor=agent, patient=patient, client=client)
    return caught.value


def test_fix14_item12_breaker_opens_after_n_transient_failures_and_stops_calling(breaker, make_person, agent, caplog):
    patient, backend = make_person("ADRUN"), FailingThenWorking()
    caplog.set_level(logging.WARNING, logger="insi.breaker")
    for _ in range(3):
        assert not isinstance(_search(agent, patient, backend), BreakerOpen)
    refused = _search(agent, patient, backend)
    assert isinstance(refused, BreakerOpen)
    assert backend.calls == 3  # the fourth search sent nothing
    assert InsiCall.objects.filter(patient=patient).count() == 3
    row = InsiBreaker.objects.get()
    assert refused.message == f"Service INSi indisponible, réessayer à {row.open_until.astimezone(PARIS):%H:%M}."
    assert "circuit breaker opened after 3" in caplog.text


def test_fix14_item12_breaker_closes_after_its_delay_on_the_first_answer(breaker, make_person, agent, caplog):
    patient, backend = make_person("ADRUN"), FailingThenWorking(failures=3)
    caplog.set_level(logging.WARNING, logger="insi.breaker")
    for _ in range(3):
        _search(agent, patient, backend)
    # The delay is over (test setup: the clock is moved by moving the stored date).
    InsiBreaker.objects.update(open_until=timezone.now() - timedelta(seconds=1))
    outcome = insi_search_for_patient(actor=agent, patient=patient, client=backend)
    assert outcome.cr == "00"
    assert InsiBreaker.objects.get().consecutive_failures == 0
    assert "circuit breaker closed" in caplog.text


def test_fix14_item12_a_failed_trial_call_opens_it_again_at_once(breaker, make_person, agent):
    patient, backend = make_person("ADRUN"), FailingThenWorking()
    for _ in range(3):
        _search(agent, patient, backend)
    InsiBreaker.objects.update(open_until=timezone.now() - timedelta(seconds=1))
    _search(agent, patient, backend)  # the trial call fails
    assert isinstance(_search(agent, patient, backend), BreakerOpen)
    assert backend.calls == 4


def test_fix14_item12_permanent_failures_do_not_open_it(breaker, make_person, agent):
    patient, backend = make_person("ADRUN"), FailingThenWorking(permanent=True)
    for _ in range(5):
        assert not isinstance(_search(agent, patient, backend), BreakerOpen)
    assert backend.calls == 5


def test_fix14_item12_the_screen_says_when_to_retry_at_once(breaker, make_person, client):
    patient = make_person("ADRUN")
    now = timezone.now()
    InsiBreaker.objects.create(consecutive_failures=3, opened_at=now, open_until=now + timedelta(minutes=2))
    client.force_login(role_user("ecran-disjoncteur", AGENT, is_staff=True))
    response = client.post(reverse("admin:insi_query", kwargs={"patient_id": patient.pk}), {"action": "search"})
    expected = f"Service INSi indisponible, réessayer à {(now + timedelta(minutes=2)).astimezone(PARIS):%H:%M}."
    assert expected in response.content.decode()
    assert not InsiCall.objects.filter(patient=patient).exists()


def test_fix14_item12_batch_reverification_pauses_instead_of_piling_up_failures(
    breaker,
    qualified_people,  # noqa: F811
    agent,
):
    breaker.INSI_BREAKER_THRESHOLD, breaker.INSI_BREAKER_DELAY = 2, 0.3
    backend = FailingThenWorking(failures=2)
    batch = ReverifyBatch(actor=agent, client=backend)
    counts = batch.run([p.pk for p in qualified_people])
    assert (counts[FAILED], counts[VERIFIED]) == (2, len(qualified_people) - 2)
    assert batch.pauses >= 1
    # Only the two calls that opened the breaker failed: nothing piled up while it was open.
    assert InsiCall.objects.filter(outcome=InsiCall.Outcome.ERROR).count() == 2


def test_fix14_item12_the_api_answers_503_with_the_retry_time_at_once(breaker, make_person):
    from tests.patients.api.conftest import token_client, user_with_role

    patient = make_person("ADRUN")
    now = timezone.now()
    InsiBreaker.objects.create(consecutive_failures=3, opened_at=now, open_until=now + timedelta(minutes=2))
    response = token_client(user_with_role("referent")).post(
        f"/api/v1/patients/{patient.public_id}/insi/search/", {}, format="json"
    )
    assert response.status_code == 503
    body = response.json()
    assert body["message"].startswith("Service INSi indisponible, réessayer à ")
    assert body["code"] == "insi_unavailable"
    assert not InsiCall.objects.filter(patient=patient).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fix14_item12_parallel_workers_share_the_breaker_and_all_pause(
    breaker,
    qualified_people,  # noqa: F811
    agent,
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    breaker.INSI_BREAKER_THRESHOLD, breaker.INSI_BREAKER_DELAY = 2, 0.5
    backend = FailingThenWorking(failures=2)
    batch = ReverifyBatch(actor=agent, client=backend, concurrency=3)
    counts = batch.run([p.pk for p in qualified_people])
    assert counts[FAILED] == 2
    assert counts[VERIFIED] == len(qualified_people) - 2
    assert InsiCall.objects.filter(outcome=InsiCall.Outcome.ERROR).count() == 2
