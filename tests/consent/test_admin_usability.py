"""Usability defects found by exploring the consent screens as an auditor (AUD-01, AUD-02)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from consent.codes import ConsentDecision
from consent.models import ConsentRecord
from tests.consent.conftest import give_consent

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_aud02_a_consent_history_row_is_shown_in_french_with_dates_as_jj_mm_aaaa(referent, auditor, episode):
    give_consent(referent, episode, decision=ConsentDecision.REFUSED)
    row = ConsentRecord.history.model.objects.get()
    client = _logged_in(auditor)
    detail = client.get(reverse("admin:consent_historicalconsentrecord_change", args=[row.pk])).content.decode()
    listing = client.get(reverse("admin:consent_historicalconsentrecord_changelist")).content.decode()
    for content in (detail, listing):
        assert "History" not in content
        assert " as of " not in content
        assert "Date de la modification" in content
    assert "Modifié par" in detail and "version du " in detail
    # Every date on the page is JJ/MM/AAAA, never "29 novembre 2026" (the French default).
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", detail)
    assert not re.search(
        r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}", detail
    )


def test_aud02_read_only_pages_titles_never_read_de_before_a_vowel(auditor, episode):
    client = _logged_in(auditor)
    content = client.get(reverse("admin:consent_careepisode_change", args=[episode.pk])).content.decode()
    assert "Consultation : épisode de soins" in content
    assert "de épisode" not in content
    assert "Administration : Consentements" in client.get(reverse("admin:app_list", args=["consent"])).content.decode()
