"""Issue 12: the referent's desk counts what waits (TR-08, TR-09, ST-08, INSI-06, ST-11, ST-02), one COUNT each,
and each count opens an admin list of exactly that many rows."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients import roles
from patients.extensions import WorkList, register_work_list, work_lists
from tests.referent_world import build_referent_world, role_member

pytestmark = pytest.mark.django_db
DESK = reverse("referent-desk")


@pytest.fixture
def world():
    actor = role_member(roles.REFERENT, username="referent.bureau")
    expected = build_referent_world(actor)
    client = Client()
    client.force_login(actor)
    return client, expected


def _counts(response) -> dict[str, int]:
    return {c.key: c.count for c in response.context["counters"]}


def test_issue12_desk_counts_what_waits_in_each_list(world):
    client, expected = world
    response = client.get(DESK)
    assert response.status_code == 200
    assert _counts(response) == expected
    content = response.content.decode()
    assert "Identités à compléter (SANSNOM, SANSPRENOM)" in content
    assert "Propositions INSi à décider" in content


@pytest.mark.parametrize(
    "key",
    [
        "a-completer",
        "a-regulariser",
        "reverification",
        "propositions-insi",
        "doublons",
        "douteuses",
        "fictives",
        "incidents",
    ],
)
def test_issue12_each_count_opens_a_list_of_exactly_that_many_rows(world, key):
    client, expected = world
    counter = next(c for c in client.get(DESK).context["counters"] if c.key == key)
    listed = client.get(counter.url)
    assert listed.status_code == 200
    changelist = listed.context["cl"]
    assert changelist.result_count == counter.count == expected[key]
    assert len(changelist.result_list) == expected[key]


def test_issue12_the_desk_runs_one_count_per_list_and_reads_no_rows(world):
    client, _ = world
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DESK)
    counts = [q["sql"] for q in queries.captured_queries if re.search(r"\bCOUNT\(", q["sql"], re.IGNORECASE)]
    assert len(counts) == len(response.context["counters"]) == len(work_lists())
    # No query fetches identities themselves (only COUNTs touch the patient table).
    sqls = [q["sql"] for q in queries.captured_queries]
    patient_reads = [sql for sql in sqls if "patients_patient" in sql and "COUNT(" not in sql.upper()]
    assert patient_reads == []


def test_issue12_the_admin_index_links_first_to_the_desk_for_referents(world):
    client, _ = world
    content = client.get(reverse("admin:index")).content.decode()
    assert f'href="{DESK}"' in content
    assert content.index("referent-desk-entry") < content.index("app-patients")


def test_issue12_agents_and_auditors_do_not_get_the_desk(db):
    for role, name in [(roles.AGENT, "agent.bureau"), (roles.AUDITOR, "auditeur.bureau")]:
        client = Client()
        client.force_login(role_member(role, username=name))
        assert client.get(DESK).status_code == 403
        assert f'href="{DESK}"' not in client.get(reverse("admin:index")).content.decode()


def test_issue12_another_app_plugs_a_counter_in_without_patients_importing_it(world, monkeypatch):
    """The extension point the incidents (AUD-04) will use."""
    from patients import extensions
    from patients.models import Patient

    client, _ = world
    monkeypatch.setattr(extensions, "_WORK_LISTS", dict(extensions._WORK_LISTS))
    register_work_list(
        WorkList(
            key="exemple",
            label="Liste externe",
            rule="AUD-04",
            permission="patients.view_patient",
            rows=lambda: Patient.objects.filter(birth_name="ROBIN"),
            patient_filter=True,
            order=70,
        )
    )
    response = client.get(DESK)
    assert _counts(response)["exemple"] == 1
    assert "Liste externe" in response.content.decode()
