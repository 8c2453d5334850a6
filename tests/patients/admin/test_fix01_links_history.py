"""Issue 8 items 1 and 11 on the screens of issue 9: authorities and the merge journal (AUD-01, AUD-05).

An authority edited from the admin keeps who changed what and when, readable on its history page and never
reverted; the merge journal names each merge by its Paris time.
"""

from datetime import UTC, date, datetime
from unittest import mock

import lxml.html
import pytest
from django.urls import reverse

from patients.links import IdentifierAuthority, MergeRecord
from patients.services import patient_create, patient_merge

pytestmark = pytest.mark.django_db


def test_fix01_an_authority_edited_on_screen_keeps_its_earlier_label_in_a_read_only_history(referent_client, referent):
    add = reverse("admin:patients_identifierauthority_add")
    created = referent_client.post(add, {"code": "GHT-SUD", "label": "CH Sud", "oid": ""})
    assert created.status_code == 302, created.content
    authority = IdentifierAuthority.objects.get(code="GHT-SUD")
    change = reverse("admin:patients_identifierauthority_change", args=[authority.pk])
    edited = referent_client.post(change, {"label": "Centre hospitalier Sud", "oid": ""})
    assert edited.status_code == 302, edited.content

    rows = list(authority.history.order_by("history_id"))
    assert [(row.history_user, row.history_change_reason) for row in rows] == [
        (referent, "AUTHORITY_CREATE"),
        (referent, "AUTHORITY_EDIT"),
    ]
    # The history page shows the earlier label (what changed, not only "modified")...
    history = referent_client.get(reverse("admin:patients_identifierauthority_history", args=[authority.pk]))
    table = " ".join(
        " ".join(
            lxml.html.fromstring(history.content.decode()).xpath('//*[@id="content"]//table')[0].itertext()
        ).split()
    )
    assert "Libellé : CH Sud → Centre hospitalier Sud" in table, table
    assert "Autorité d'affectation modifiée" in table  # issue 12: the label, not the code
    assert "AUTHORITY_EDIT" not in table
    # ...and its version page brings nothing back: the history is read, never reverted (AUD-01).
    version = reverse("admin:patients_identifierauthority_simple_history", args=[authority.pk, rows[0].history_id])
    assert referent_client.post(version, {"label": "CH Sud", "oid": ""}).status_code == 403
    authority.refresh_from_db()
    assert authority.label == "Centre hospitalier Sud"


def test_fix11_the_merge_journal_names_a_merge_by_its_paris_time(referent):
    def identity(first_name: str):
        return patient_create(
            actor=referent, birth_name="JOURNAL", first_name=first_name, sex="M", birth_date=date(1980, 1, 1)
        ).patient

    survivor, duplicate = identity("PAUL"), identity("PAULO")
    # 23:10 UTC on 31 December is 00:10 on 1 January in Paris.
    with mock.patch("django.utils.timezone.now", return_value=datetime(2025, 12, 31, 23, 10, tzinfo=UTC)):
        patient_merge(actor=referent, survivor=survivor, merged=duplicate, reason="Doublon")
    assert str(MergeRecord.objects.get()) == "Fusion du 01/01/2026 00:10"
