"""Issue 10 / AUD-01: reads logged concurrently, each by one autocommit INSERT, still make one verifiable chain."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from identity_registry.audit_chain import verify_chain
from patients import roles
from patients.records import PatientAccess
from tests.factories import PatientFactory, UserFactory
from tests.patients.api.conftest import detail_url, requires_postgresql, token_client
from tests.patients.api.threads import run_together

SEARCH = "/api/v1/patients/search/"


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_aud01_aud03_concurrent_reads_are_all_logged_in_one_unbroken_chain():
    user = UserFactory(username="issue10-chain")
    user.groups.add(Group.objects.get(name=roles.DPI))
    patients = [
        PatientFactory(birth_name=f"DURAND{chr(65 + n)}", first_name="LEA", birth_date=date(1960, 1, 1 + n))
        for n in range(8)
    ]

    def reads():
        client = token_client(user)
        statuses = [client.get(detail_url(p)).status_code for p in patients]
        statuses.append(client.post(SEARCH, {"name": "durand"}, format="json").status_code)
        return statuses

    results = run_together(reads, reads, reads, reads)
    assert all(statuses == [200] * 9 for statuses in results), results
    # RNIV AUD-03: none lost: 4 callers x (8 reads + a page of 8).
    assert PatientAccess.objects.count() == 4 * 16
    count, chain_break = verify_chain(PatientAccess)
    assert (count, chain_break) == (64, None)
