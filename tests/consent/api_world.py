"""The consent API seen by the contract tests: a world of rows to act on, and how to call each operation."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from consent.codes import EpisodeKind, GiverCapacity, OppositionKind
from consent.services import care_episode_create, opposition_record
from tests.consent.conftest import give_consent, join_team
from tests.factories import PatientFactory, UserFactory
from tests.patients.api.conftest import token_client

V1 = "/api/v1/"
UNKNOWN_ID = 2_000_000_000
LONG_AGO = timedelta(days=30)


class World:
    """A user allowed everything, a patient with an episode, and makers for every kind of row."""

    def __init__(self, referent: Any, patient: Any, episode: Any, make_professional: Callable[..., Any]) -> None:
        self.referent, self.patient, self.episode, self.make_professional = (
            referent,
            patient,
            episode,
            make_professional,
        )
        self.root = token_client(UserFactory(username="root", is_superuser=True, is_staff=True))

    def send(self, operation_id: str, obj_id: Any = None, body: Any = None, *, client: Any = None, **kw: Any) -> Any:
        method, path = operation_id.split(" ", 1)
        url = path.replace("{id}", str(obj_id if obj_id is not None else UNKNOWN_ID))
        client = client or self.root
        if "query" in kw:
            return client.get(url, kw["query"])
        if method == "GET":
            return client.get(url)
        if "content_type" in kw:
            return getattr(client, method.lower())(url, body, content_type=kw["content_type"])
        return getattr(client, method.lower())(url, body if body is not None else {}, format="json")

    # Makers: each returns the id its operation's path needs.
    def professional(self) -> int:
        return self.make_professional().pk

    def episode_id(self) -> int:
        return self.episode.pk

    def fresh_episode(self) -> int:
        """An episode of its own, so spoiling it leaves the shared one open."""
        return care_episode_create(
            actor=self.referent, patient=self.patient, unit="Cardiologie", kind=EpisodeKind.CONSULTATION
        ).pk

    def closed_episode(self) -> Any:
        now = timezone.now()
        return care_episode_create(
            actor=self.referent,
            patient=self.patient,
            unit="Cardiologie",
            kind=EpisodeKind.CONSULTATION,
            started_at=now - LONG_AGO,
            ended_at=now - LONG_AGO / 2,
        )

    def member(self) -> int:
        return join_team(self.referent, self.episode, self.make_professional()).pk

    def consent(self) -> int:
        return give_consent(self.referent, self.episode).pk

    def opposition(self, patient: Any = None) -> int:
        return opposition_record(
            actor=self.referent,
            # By default a patient of its own: one opposition of a kind is in force at a time (CONS-06).
            patient=patient or PatientFactory(actor=self.referent),
            kind=OppositionKind.FEEDING,
            expressed_by_capacity=GiverCapacity.PATIENT,
            expressed_by_name="Le patient",
        ).pk

    def twice(self, operation_id: str, make: Callable[[], int], body: Any = None) -> Any:
        obj_id = make()
        first = self.send(operation_id, obj_id, body)
        assert first.status_code < 300, first.content
        return self.send(operation_id, obj_id, body)


Scenario = Callable[[World], Any]


def common(operation_id: str, make: Callable[[World], int] | None) -> dict[int, Scenario]:
    """401 and 403 on every operation; 404 on an unknown id in the path; 415 on a write with a text body."""
    scenarios: dict[int, Scenario] = {
        401: lambda w: w.send(operation_id, client=APIClient()),
        403: lambda w: w.send(operation_id, client=token_client(UserFactory(username="no-role"))),
    }
    if "{id}" in operation_id:
        scenarios[404] = lambda w: w.send(operation_id)
    if not operation_id.startswith(("GET", "DELETE")):
        scenarios[415] = lambda w: w.send(
            operation_id, make(w) if make else None, "reason=x", content_type="text/plain"
        )
    return scenarios


def filtered_list(operation_id: str, *, required: bool = False) -> dict[int, Scenario]:
    """A list filtered by ``?patient=``: a malformed id is a 400, an unknown patient a 404."""
    scenarios = {
        **common(operation_id, None),
        400: lambda w: w.send(operation_id, query={"patient": "not-a-uuid"}),
        404: lambda w: w.send(operation_id, query={"patient": str(uuid.uuid4())}),
    }
    if required:  # no patient at all is a 400 too
        scenarios[400] = lambda w: w.send(operation_id)
    return scenarios


def professional_body(w: World, national_id: str = "810001234567") -> dict[str, str]:
    return {"national_id": national_id, "last_name": "B", "first_name": "C", "profession": "IDE", "card_type": "CPS"}


def consent_body(episode_id: int) -> dict[str, Any]:
    return {
        "episode": episode_id,
        "purpose": "dmp_feeding_information",
        "decision": "informed",
        "given_by_capacity": "patient",
        "given_by_name": "Le patient",
        "channel": "oral",
    }


def emergency_body(w: World, episode_id: int) -> dict[str, Any]:
    return {
        "professional": w.professional(),
        "episode": episode_id,
        "mode": "bris_de_glace",
        "justification": "Patient inconscient, risque immédiat",
        "patient_cannot_express": True,
    }


def op(method: str, path: str) -> str:
    return f"{method} {V1}{path}"


PRO = "professionals/{id}/"
EPS, EP, TEAM = "care-episodes/", "care-episodes/{id}/", "care-episodes/{id}/team-members/"
END, CONSENTS, CONSENT_WITHDRAW = "care-team-members/{id}/end/", "consents/", "consents/{id}/withdraw/"
OPPOSITIONS, OPPOSITION_WITHDRAW = "oppositions/", "oppositions/{id}/withdraw/"
EMERGENCIES, DECISIONS = "emergency-accesses/", "dmp-access-decisions/"
