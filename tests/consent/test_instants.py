"""The instants the access decision reads from the database, at their edges (RULES CONS-01, CONS-03, CONS-04).

An episode is in progress from its start until its end; a professional is in the care team from the instant they
join until the instant they leave; a patient is a minor until the day of their 18th birthday, in Paris time.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from consent.codes import AccessPurpose, EpisodeKind
from consent.selectors import access_request_for
from consent.services import care_episode_create, care_team_add_member
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

MICRO = timedelta(microseconds=1)


def request_at(episode, professional, at):
    return access_request_for(
        patient=episode.patient, professional=professional, episode=episode, purpose=AccessPurpose.CONSULTATION, at=at
    )


def test_cons01_an_episode_is_in_progress_from_its_start_until_its_end(referent, patient, make_professional):
    start = timezone.now() - timedelta(days=3)
    end = start + timedelta(days=1)
    episode = care_episode_create(
        actor=referent,
        patient=patient,
        unit="Cardiologie",
        kind=EpisodeKind.CONSULTATION,
        started_at=start,
        ended_at=end,
    )
    professional = make_professional()
    in_progress = {
        at: request_at(episode, professional, at).episode_in_progress for at in (start - MICRO, start, end - MICRO, end)
    }
    assert in_progress == {start - MICRO: False, start: True, end - MICRO: True, end: False}


def test_cons03_a_professional_is_in_the_care_team_from_joining_until_leaving(referent, episode, make_professional):
    professional = make_professional()
    joined = episode.started_at + timedelta(hours=1)
    left = joined + timedelta(hours=2)
    care_team_add_member(
        actor=referent, episode=episode, professional=professional, role="Infirmier", joined_at=joined, left_at=left
    )
    member = {
        at: request_at(episode, professional, at).in_care_team for at in (joined - MICRO, joined, left - MICRO, left)
    }
    assert member == {joined - MICRO: False, joined: True, left - MICRO: True, left: False}


@pytest.mark.parametrize(
    ("at", "minor"),
    [
        (datetime(2026, 3, 9, 22, 59, tzinfo=UTC), True),  # 9 March 23:59 in Paris: the day before
        (datetime(2026, 3, 9, 23, 0, tzinfo=UTC), False),  # 10 March 00:00 in Paris: 18 today
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), False),
    ],
)
def test_cons04_a_patient_is_a_minor_until_their_eighteenth_birthday_in_paris(referent, make_professional, at, minor):
    patient = PatientFactory(actor=referent, birth_date=date(2008, 3, 10))
    episode = care_episode_create(
        actor=referent,
        patient=patient,
        unit="Pédiatrie",
        kind=EpisodeKind.HOSPITALISATION,
        started_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert request_at(episode, make_professional(), at).patient_is_minor is minor
