"""Item 10: the INSi result screen leads with the outcome in words; the CR code comes after it."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from patients.roles import AGENT
from tests.factories import retrieve_ins
from tests.insi.helpers import role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    client.force_login(role_user("ecran-titre", AGENT, is_staff=True))
    return client


def _headline(client, patient, action: str = "search") -> str:
    response = client.post(reverse("admin:insi_query", kwargs={"patient_id": patient.pk}), {"action": action})
    assert response.status_code == 200
    match = re.search(r'<h2 id="insi-headline"[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    assert match, "the result screen has no headline"
    return " ".join(html.unescape(strip_tags(match.group(1))).split())


# (case, person of the INSi table, local overrides, headline expected)
CASES = [
    # TCHITCHI: INSi answers 00 with CATARINA where the identity starts with OLA (INSI-05).
    ("discordance_on_00", "TCHITCHI", {}, "Discordance : l'INS n'est pas récupérée (code retour INSi 00)"),
    # Issue 12: on the screen the agent compares with the document before the INS is recorded.
    (
        "found",
        "ADRUN",
        {},
        "Identité trouvée : à comparer au justificatif avant de récupérer l'INS (code retour INSi 00)",
    ),
    ("not_found", "HOUILLES", {}, "Aucune identité trouvée (code retour INSi 01)"),
    ("several", "DE_VINCI", {"birthplace_cog": ""}, "Plusieurs identités trouvées (code retour INSi 02)"),
    (
        "needs_decision",
        "NESSI",
        {"first_names": "MICHELANGELO"},
        "Identité trouvée avec des différences : décision d'un référent requise (code retour INSi 00)",
    ),
]


@pytest.mark.parametrize(("case", "person", "overrides", "expected"), CASES, ids=[c[0] for c in CASES])
def test_fix10_the_result_is_headed_by_its_outcome_in_words(
    agent_client, make_person, case, person, overrides, expected
):
    headline = _headline(agent_client, make_person(person, **overrides))
    assert headline == expected
    assert not headline.startswith("Résultat de l'appel")


def test_fix10_a_failed_verification_says_the_ins_is_withdrawn(agent_client, make_person):
    # INSi returns the birthplace 63220 that the stored INS traits lack: not identical, so ST-08 fails.
    patient = retrieve_ins(make_person("ADRUN"), matricule="275126322074974")
    headline = _headline(agent_client, patient, action="verify")
    assert headline.startswith("Vérification en échec : l'INS est retirée")
