"""One object of every model the admin shows, written through the services at a clock set to 23:30 UTC.

Shared by the admin sweep (item 1 of issue 8) and the Europe/Paris clock tests (item 11): 23:30 UTC on
15 January is 00:30 on 16 January in Paris, so a screen still showing UTC shows the wrong day and hour.
"""

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from consent.codes import AccessPurpose, CardType, EpisodeKind, GiverCapacity, OppositionKind
from consent.services import (
    care_episode_create,
    care_team_add_member,
    dmp_access_decision,
    emergency_access_declare,
    opposition_record,
    professional_create,
    professional_update,
)
from insi.backends.simulator import SimulatorClient
from insi.services import insi_decide_proposal, insi_search_for_patient
from patients import roles
from patients.api_tokens import api_token_revoke
from patients.audit import patient_record_access
from patients.duplicates.services import patient_create_checking_duplicates
from patients.incidents.services import incident_close, incident_open
from patients.ins import ins_key
from patients.links import IdentifierAuthority
from patients.records import PatientAccess
from patients.retention import retention_purge
from patients.services import (
    authority_save,
    identifier_add,
    identity_record_document_declined,
    patient_create,
    patient_merge,
    patient_unmerge,
)
from tests.consent.conftest import give_consent
from tests.factories import UserFactory, check_passport, retrieve_ins

# 23:30 UTC is 00:30 the next day in Paris (UTC+1 in winter).
FROZEN_UTC = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
UTC_DAY, PARIS_DAY, UTC_TIME, PARIS_TIME = "15/01/2026", "16/01/2026", "23:30", "00:30"

NO_ROLE = "Sans rôle"
SUPERUSER = "Superutilisateur"
ROLES = [roles.AGENT, roles.REFERENT, roles.AUDITOR, roles.DPI, NO_ROLE, SUPERUSER]

_DURAND_BODY = "2720675056003"


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    patient: Any = None

    def object_of(self, model: type[models.Model]) -> models.Model | None:
        """The newest object of ``model`` (every model registered in the admin gets at least one)."""
        return model._default_manager.order_by("-pk").first()


def _simulator_with_durand(folder: Path) -> SimulatorClient:
    """INSi answers MARIE LOUISE for a local MARIE: a proposal a referent must decide (INSI-06)."""
    person = {
        "traits": {"birth_name": "DURAND", "first_names": "MARIE LOUISE", "sex": "F", "birth_date": "1972-06-03"},
        "ins": {"matricule": _DURAND_BODY + ins_key(_DURAND_BODY), "oid": "1.2.250.1.213.1.4.8"},
    }
    path = folder / "people.json"
    path.write_text(json.dumps({"format": "insi-simulator/1", "people": [person]}))
    return SimulatorClient(path)


def _users() -> dict[str, Any]:
    users = {}
    for role in (roles.AGENT, roles.REFERENT, roles.AUDITOR, roles.DPI):
        name = f"balayage-{role[:12].lower().replace(' ', '-')}"
        # date_joined's default is bound to the real clock: give it the world's time.
        user = UserFactory(username=name, is_staff=True, date_joined=FROZEN_UTC)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    # Staff with no role: it passes the admin's front door, then every model must refuse it.
    users[NO_ROLE] = UserFactory(username="balayage-sans-role", is_staff=True, date_joined=FROZEN_UTC)
    users[SUPERUSER] = UserFactory(
        username="balayage-superuser", is_staff=True, is_superuser=True, date_joined=FROZEN_UTC
    )
    return users


def _identities(referent: Any) -> Any:
    # A second INS replaces the first: the first is kept as an earlier INS (InsHistoryEntry).
    patient = patient_create(
        actor=referent, birth_name="BALAYAGE", first_name="ALICE", sex="F", birth_date=date(1975, 12, 31)
    ).patient
    retrieve_ins(patient, matricule="275126322074974", actor=referent)
    other = "2751263220751"
    patient = retrieve_ins(patient, matricule=other + ins_key(other), actor=referent)
    patient = check_passport(patient, actor=referent)
    # RNIV ST-10: a refusal to show a document, recorded on another visit.
    identity_record_document_declined(actor=referent, patient=patient, reason="Balayage")
    patient_record_access(
        actor=referent, patients=[patient], action=PatientAccess.Action.RETRIEVE, channel=PatientAccess.Channel.SCREEN
    )
    return patient


def _insi(referent: Any) -> None:
    durand = patient_create(
        actor=referent, birth_name="DURAND", first_name="MARIE", sex="F", birth_date=date(1972, 6, 3)
    ).patient
    with tempfile.TemporaryDirectory() as folder:
        outcome = insi_search_for_patient(actor=referent, patient=durand, client=_simulator_with_durand(Path(folder)))
    assert outcome.proposal is not None, outcome
    # A decided proposal has an earlier PENDING version in its history: what a revert would bring back.
    insi_decide_proposal(actor=referent, proposal=outcome.proposal, accept=False, justification="Homonyme")


def _consent(referent: Any, patient: Any) -> None:
    physician = professional_create(
        actor=referent,
        national_id="810001234567",
        last_name="MARTEAU",
        first_name="Claire",
        profession="Médecin",
        card_type=CardType.CPS,
    )
    professional_update(actor=referent, professional=physician, changes={"profession": "Médecin urgentiste"})
    episode = care_episode_create(actor=referent, patient=patient, unit="Cardiologie", kind=EpisodeKind.EMERGENCY)
    care_team_add_member(actor=referent, episode=episode, professional=physician, role="Médecin référent")
    give_consent(referent, episode)
    opposition_record(
        actor=referent,
        patient=patient,
        kind=OppositionKind.FEEDING,
        expressed_by_capacity=GiverCapacity.PATIENT,
        expressed_by_name="Le patient",
    )
    emergency_access_declare(
        actor=referent,
        professional=physician,
        episode=episode,
        mode="bris_de_glace",
        justification="Patient inconscient",
        patient_cannot_express=True,
    )
    dmp_access_decision(
        actor=referent, patient=patient, professional=physician, episode=episode, purpose=AccessPurpose.CONSULTATION
    )


def _links(referent: Any, patient: Any) -> None:
    """An authority edited once, identifiers, a merge kept and a merge undone (RNIV AUD-05)."""
    authority = authority_save(
        actor=referent, authority=IdentifierAuthority(code="GHT-BALAYAGE", label="CH du balayage")
    )
    authority.label = "Centre hospitalier du balayage"
    authority_save(actor=referent, authority=authority)
    identifier_add(actor=referent, patient=patient, authority=authority, value="BAL-001")
    # A duplicate merged and kept merged: the identity page lists what it absorbed, and when.
    kept = patient_create(
        actor=referent, birth_name="BALAYAGE", first_name="ALICIA", sex="F", birth_date=date(1975, 12, 31)
    ).patient
    identifier_add(actor=referent, patient=kept, authority=authority, value="BAL-002")
    patient_merge(actor=referent, survivor=patient, merged=kept, reason="Doublon confirmé")
    # The newest merge is undone: its journal entry has an earlier version (merged, not undone) in history.
    undone = patient_create(
        actor=referent, birth_name="BALAYAGE", first_name="ALINE", sex="F", birth_date=date(1975, 12, 31)
    ).patient
    patient_merge(actor=referent, survivor=patient, merged=undone, reason="Doublon supposé")
    patient_unmerge(actor=referent, merged=undone, reason="Homonyme, pas un doublon")


def _duplicates(referent: Any) -> None:
    """A second MARTIN JEANNE born the same day: a suspected duplicate pair, decided later (ST-11)."""
    traits = {"birth_name": "MARTIN", "first_name": "JEANNE", "sex": "F", "birth_date": date(1980, 3, 14)}
    patient_create(actor=referent, **traits)
    _, pairs = patient_create_checking_duplicates(actor=referent, **traits)
    assert pairs, "the second MARTIN JEANNE is a suspected duplicate"


def _incidents(users: dict[str, Any]) -> None:
    """An identity given a wrong INS, read by an agent, then an incident opened (alert recorded) and closed (AUD-04)."""
    referent = users[roles.REFERENT]
    wrong = patient_create(
        actor=referent, birth_name="INCIDENT", first_name="IRIS", sex="F", birth_date=date(1990, 5, 5)
    ).patient
    body = "2900575123456"
    wrong = retrieve_ins(wrong, matricule=body + ins_key(body), actor=referent)
    patient_record_access(
        actor=users[roles.AGENT],
        patients=[wrong],
        action=PatientAccess.Action.RETRIEVE,
        channel=PatientAccess.Channel.SCREEN,
    )
    faulty = wrong.history.order_by("-history_date", "-history_id").first()
    opened = incident_open(
        actor=referent, patient=wrong, kind="wrong_ins", faulty_change=faulty, reason="INS d'un homonyme"
    )
    incident_close(actor=referent, incident=opened.incident, reason="Équipes prévenues, identité corrigée")


def _hardening(users: dict[str, Any]) -> None:
    """A revoked API token, a retention purge, a failed and a successful log-in (issue 11)."""
    Token.objects.create(user=users[roles.DPI])
    api_token_revoke(user=users[roles.DPI])
    retention_purge(model=PatientAccess, before=datetime(2000, 1, 1, tzinfo=UTC), actor="balayage", reason="Test")
    # django-axes writes its rows with auto_now_add, read from the (mocked) clock.
    client = Client()
    client.post("/admin/login/", {"username": users[roles.DPI].username, "password": "motdepasse-de-test"})
    # A log-in resets that name's failures (AXES_RESET_ON_SUCCESS, force_login too): an unknown name fails.
    client.post("/admin/login/", {"username": "balayage-inconnu", "password": "mauvais"})


def build_world() -> World:
    """Write the objects at FROZEN_UTC; every write goes through a service, as on the screens."""
    # The suite's fast hasher is a function fixture, and this world is built once per module.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with mock.patch("django.utils.timezone.now", return_value=FROZEN_UTC), fast_hashing:
        world = World(users=_users())
        referent = world.users[roles.REFERENT]
        world.patient = _identities(referent)
        _insi(referent)
        _consent(referent, world.patient)
        _links(referent, world.patient)
        _duplicates(referent)
        _incidents(world.users)
        world.patient.refresh_from_db()
        _hardening(world.users)
    return world


@contextmanager
def world_in_transaction(django_db_blocker: Any) -> Iterator[World]:
    """Build the world once for a test module, inside a transaction rolled back after the module's tests."""
    # The log-in attempt written at the frozen clock would be cleaned as expired by the next request (axes).
    keep_attempts = override_settings(AXES_COOLOFF_TIME=None)
    with django_db_blocker.unblock(), transaction.atomic(), keep_attempts:
        yield build_world()
        transaction.set_rollback(True)


def registered_labels() -> list[str]:
    """Every model registered in the admin, now and after later additions."""
    return sorted(model._meta.label for model in admin.site._registry)


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)
