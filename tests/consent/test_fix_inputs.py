"""Issue 8 items 5, 7, 8 on the consent API and screens: bounded text, bounded dates, strict keys, no bidi."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consent.forms import EmergencyForm, OppositionForm
from consent.models import (
    AccessDecisionLog,
    CareEpisode,
    CareTeamMember,
    ConsentRecord,
    EmergencyAccess,
    PatientOpposition,
)
from tests.consent.api_world import consent_body, emergency_body
from tests.consent.conftest import give_consent

pytestmark = pytest.mark.django_db

EPISODES = "/api/v1/care-episodes/"
CONSENTS = "/api/v1/consents/"
OPPOSITIONS = "/api/v1/oppositions/"
EMERGENCIES = "/api/v1/emergency-accesses/"
DECISIONS = "/api/v1/dmp-access-decisions/"
ONE_MB = "x" * 1_000_000
RLO = "\u202e"


def _rows() -> tuple[int, ...]:
    models = (CareEpisode, CareTeamMember, ConsentRecord, PatientOpposition, EmergencyAccess, AccessDecisionLog)
    history = tuple(m.history.count() for m in models if hasattr(m, "history"))
    return tuple(m.objects.count() for m in models) + history


def _refused(response, field: str) -> str:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"code", "message", "details"} and field in body["details"], body
    return body["details"][field][0]


class _W:
    def __init__(self, make_professional):
        self.make_professional = make_professional

    def professional(self):
        return self.make_professional().pk


# Item 5: every free text has a maximum; 1 MB is a 400 in French, and nothing is stored.


def test_fix05_a_1mb_consent_reason_is_refused_in_french_and_nothing_is_stored(api, referent, episode):
    before = _rows()
    response = api(referent).post(CONSENTS, {**consent_body(episode.pk), "reason": ONE_MB}, format="json")
    assert "caractères" in _refused(response, "reason")
    assert _rows() == before


def test_fix05_a_1mb_emergency_justification_is_refused_in_french_and_nothing_is_stored(
    api, referent, episode, make_professional
):
    body = {**emergency_body(_W(make_professional), episode.pk), "justification": ONE_MB}
    before = _rows()
    response = api(referent).post(EMERGENCIES, body, format="json")
    assert "caractères" in _refused(response, "justification")
    assert _rows() == before


@pytest.mark.parametrize("path", ["withdraw", "opposition"])
def test_fix05_a_1mb_withdrawal_or_opposition_reason_is_refused_and_nothing_changes(
    api, referent, episode, patient, path
):
    consent = give_consent(referent, episode)
    before = _rows()
    if path == "withdraw":
        response = api(referent).post(f"{CONSENTS}{consent.pk}/withdraw/", {"reason": ONE_MB}, format="json")
    else:
        body = {
            "patient": str(patient.public_id),
            "kind": "feeding",
            "expressed_by_capacity": "patient",
            "expressed_by_name": "Le patient",
            "reason": ONE_MB,
        }
        response = api(referent).post(OPPOSITIONS, body, format="json")
    _refused(response, "reason")
    assert _rows() == before
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_fix05_the_screens_refuse_a_1mb_justification_or_reason(patient, episode, make_professional):
    emergency = EmergencyForm(
        data={
            "episode": episode.pk,
            "professional": make_professional().pk,
            "mode": "bris_de_glace",
            "justification": ONE_MB,
        },
        patient=patient,
    )
    assert not emergency.is_valid() and "justification" in emergency.errors
    opposition = OppositionForm(
        data={"kind": "feeding", "expressed_by_capacity": "patient", "expressed_by_name": "P", "reason": ONE_MB},
        patient=patient,
    )
    assert not opposition.is_valid() and "reason" in opposition.errors


# Item 7: dates in a sensible range with a real UTC offset; unknown keys refused on every input.


@pytest.mark.parametrize(
    "started_at",
    ["0756-03-01T10:00:00+20:03", "0756-03-01T10:00:00+01:00", "2020-03-01T10:00:00+20:03", "1899-12-31T10:00:00Z"],
)
def test_fix07_an_episode_patch_with_an_absurd_start_is_refused_and_changes_nothing(api, referent, episode, started_at):
    before = (_rows(), CareEpisode.objects.get(pk=episode.pk).started_at)
    response = api(referent).patch(f"{EPISODES}{episode.pk}/", {"started_at": started_at}, format="json")
    _refused(response, "started_at")
    assert (_rows(), CareEpisode.objects.get(pk=episode.pk).started_at) == before


def test_fix07_an_episode_ending_more_than_five_years_ahead_is_refused(api, referent, episode):
    too_far = (timezone.now() + timedelta(days=6 * 365)).isoformat()
    _refused(api(referent).patch(f"{EPISODES}{episode.pk}/", {"ended_at": too_far}, format="json"), "ended_at")
    fine = (timezone.now() + timedelta(days=30)).isoformat()
    assert api(referent).patch(f"{EPISODES}{episode.pk}/", {"ended_at": fine}, format="json").status_code == 200


def test_fix07_an_episode_patch_with_an_unknown_key_is_refused(api, referent, episode):
    before = _rows()
    response = api(referent).patch(f"{EPISODES}{episode.pk}/", {"unit": "X", "zzz_unknown": 1}, format="json")
    _refused(response, "zzz_unknown")
    assert _rows() == before
    assert CareEpisode.objects.get(pk=episode.pk).unit == "Cardiologie"


def test_fix07_a_consent_with_recorded_by_id_or_an_unknown_key_is_refused(api, referent, episode):
    before = _rows()
    body = {**consent_body(episode.pk), "recorded_by": 1, "id": 99, "zzz_unknown": "x"}
    response = api(referent).post(CONSENTS, body, format="json")
    assert response.status_code == 400
    assert {"recorded_by", "id", "zzz_unknown"} <= set(response.json()["details"])
    assert _rows() == before


# Item 8: no bidirectional control in any text; an empty ?patient= filter is a 400.


@pytest.mark.parametrize("control", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"])
def test_fix08_a_consent_giver_name_with_a_bidi_control_is_refused(api, referent, episode, control):
    before = _rows()
    body = {**consent_body(episode.pk), "given_by_name": f"Le pa{control}tient"}
    message = _refused(api(referent).post(CONSENTS, body, format="json"), "given_by_name")
    assert "sens d'écriture" in message
    assert _rows() == before


def test_fix08_the_screens_refuse_a_bidi_control(patient):
    form = OppositionForm(
        data={"kind": "feeding", "expressed_by_capacity": "patient", "expressed_by_name": f"P{RLO}X"},
        patient=patient,
    )
    assert not form.is_valid() and "expressed_by_name" in form.errors


@pytest.mark.parametrize("path", [EPISODES, CONSENTS, OPPOSITIONS, EMERGENCIES, DECISIONS])
def test_fix08_an_empty_patient_filter_is_a_400_not_everything(api, referent, episode, path):
    _refused(api(referent).get(path, {"patient": ""}), "patient")
    _refused(api(referent).get(f"{path}?patient="), "patient")
