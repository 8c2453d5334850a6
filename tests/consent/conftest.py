import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from consent.codes import CardType, Channel, ConsentDecision, ConsentPurpose, EpisodeKind, GiverCapacity
from consent.services import care_episode_create, care_team_add_member, consent_record, professional_create
from patients import roles
from tests.factories import PatientFactory, UserFactory

_ids = itertools.count(1)


def member_of(group: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def referent(db):
    return member_of(roles.REFERENT, "referent")


@pytest.fixture
def desk_agent(db):
    return member_of(roles.AGENT, "desk-agent")


@pytest.fixture
def auditor(db):
    return member_of(roles.AUDITOR, "auditor")


@pytest.fixture
def dpi(db):
    return member_of(roles.DPI, "dpi")


@pytest.fixture
def make_professional(referent):
    def make(card_type: str = CardType.CPS, profession: str = "Médecin", **kwargs):
        n = next(_ids)
        values = {
            "national_id": f"8{n:011d}",
            "last_name": f"PRO{n}",
            "first_name": "Camille",
            "profession": profession,
            "card_type": card_type,
        }
        values.update(kwargs)
        return professional_create(actor=referent, **values)

    return make


@pytest.fixture
def patient(referent):
    return PatientFactory(actor=referent)


@pytest.fixture
def episode(referent, patient):
    return care_episode_create(
        actor=referent,
        patient=patient,
        unit="Cardiologie",
        kind=EpisodeKind.HOSPITALISATION,
        started_at=timezone.now() - timedelta(days=1),
    )


def give_consent(actor, episode, *, decision=ConsentDecision.GIVEN, capacity=GiverCapacity.PATIENT, **kwargs):
    values = {
        "purpose": ConsentPurpose.CONSULTATION,
        "given_by_capacity": capacity,
        "given_by_name": "Le patient",
        "channel": Channel.ORAL,
    }
    values.update(kwargs)
    return consent_record(actor=actor, episode=episode, decision=decision, **values)


def join_team(actor, episode, professional, role="Médecin référent"):
    return care_team_add_member(
        actor=actor, episode=episode, professional=professional, role=role, joined_at=episode.started_at
    )


@pytest.fixture
def api(db):
    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for
