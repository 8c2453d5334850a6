"""The quick-start demo gives the consent page professionals and episodes to work with."""

import pytest
from django.core.management import call_command

from consent.models import CareEpisode, CareTeamMember, Professional

pytestmark = pytest.mark.django_db


def test_consent_demo_loads_professionals_of_every_card_and_is_idempotent():
    call_command("load_demo")
    call_command("load_consent_demo")
    call_command("load_consent_demo")
    assert set(Professional.objects.values_list("card_type", flat=True)) == {"CPS", "CPF", "CPE", "CDE"}
    assert CareEpisode.objects.count() == 2
    assert CareTeamMember.objects.count() == 4
    assert set(CareEpisode.objects.values_list("patient__status", flat=True)) == {"QUAL"}
