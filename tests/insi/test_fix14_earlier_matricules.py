"""Issue 14 item 8, INSI-09: the screen and the API show the earlier matricules with their dates."""

import pytest
from django.urls import reverse

from patients.roles import AGENT
from tests.insi.helpers import confirm_on_screen, role_user
from tests.patients.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db


def test_fix14_item8_the_api_shows_the_earlier_matricules_with_their_dates(make_person):
    patient = make_person("ECETINSI")
    client = token_client(user_with_role("referent"))
    response = client.post(f"/api/v1/patients/{patient.public_id}/insi/search/", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "MATCH"
    returned = {(h["matricule"], h["valid_from"], h["valid_until"]) for h in body["returned"]["history"]}
    assert ("209076322083439", "2019-03-01", "2019-02-28") in returned
    stored = {(h["matricule"], h["valid_from"], h["valid_until"]) for h in body["patient"]["ins_history"]}
    assert stored == {("209076322083439", "2019-03-01", "2019-02-28"), ("209066322012355", None, None)}


def test_fix14_item8_the_screen_shows_returned_and_stored_earlier_matricules_with_dates(make_person, client):
    patient = make_person("ECETINSI")
    client.force_login(role_user("ecran-histo", AGENT, is_staff=True))
    page = client.post(reverse("admin:insi_query", kwargs={"patient_id": patient.pk}), {"action": "search"})
    html = page.content.decode()
    assert 'id="insi-returned-earlier"' in html
    # Issue 12: the earlier matricules are stored once the agent confirms the retrieval.
    html += confirm_on_screen(client, patient).content.decode()
    assert 'id="insi-stored-earlier"' in html
    assert "209076322083439" in html and "01/03/2019" in html and "28/02/2019" in html
    assert "209066322012355" in html


def test_fix14_item8_the_screen_shows_herman_s_history_but_keeps_no_bad_key(make_person, client):
    patient = make_person("HERMAN")
    client.force_login(role_user("ecran-herman", AGENT, is_staff=True))
    page = client.post(reverse("admin:insi_query", kwargs={"patient_id": patient.pk}), {"action": "search"})
    html = page.content.decode()
    assert "281036322045610" in html and "non : clé invalide (TR-10)" in html
    assert not patient.ins_history.exists()
