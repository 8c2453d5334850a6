"""Issue 12: the consent page shows one task at a time, prefills what it knows and confirms destructive acts."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.codes import EpisodeKind
from consent.models import CareEpisode, CareTeamMember, EmergencyAccess
from consent.services import care_episode_create, dmp_access_decision, emergency_access_declare
from tests.consent.conftest import join_team

pytestmark = pytest.mark.django_db

TASKS = ("episode", "team_member", "feeding_information", "consultation", "opposition", "emergency")


def logged_in(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def page_url(patient) -> str:
    return reverse("admin:consent_patient_dmp", kwargs={"patient_id": patient.pk})


def shown_forms(content: str) -> list[str]:
    return re.findall(r'<fieldset class="module aligned" id="form-(\w+)">', content)


def selected_option(content: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


def test_issue12_one_form_shown_per_task_and_the_tab_bar_switches(referent, patient, episode):
    client = logged_in(referent)
    content = client.get(page_url(patient)).content.decode()
    assert shown_forms(content) == ["episode"]
    for task in TASKS:
        content = client.get(page_url(patient), {"tache": task}).content.decode()
        assert shown_forms(content) == [task]
        assert f'href="{page_url(patient)}?tache={task}#form-{task}"' in content
    # The lists stay visible whatever the task.
    assert "Épisodes de soins et équipes" in content and "Cardiologie" in content


def test_issue12_refused_form_stays_on_its_task(referent, patient, episode):
    response = logged_in(referent).post(page_url(patient), {"action": "opposition"})
    assert response.status_code == 400
    assert shown_forms(response.content.decode()) == ["opposition"]


def test_issue12_episode_preselected_only_when_there_is_one(referent, patient, episode):
    client = logged_in(referent)
    content = client.get(page_url(patient), {"tache": "consultation"}).content.decode()
    assert selected_option(content, "consultation-episode") == str(episode.pk)
    care_episode_create(
        actor=referent,
        patient=patient,
        unit="Neurologie",
        kind=EpisodeKind.HOSPITALISATION,
        started_at=timezone.now() - timedelta(hours=2),
    )
    content = client.get(page_url(patient), {"tache": "consultation"}).content.decode()
    assert selected_option(content, "consultation-episode") in (None, "")  # the empty choice: pick one


def test_issue12_cons04_patient_name_prefilled_and_used_when_they_answer_themselves(referent, patient, episode):
    client = logged_in(referent)
    content = client.get(page_url(patient), {"tache": "feeding_information"}).content.decode()
    name = f"{patient.first_name} {patient.birth_name}"
    assert re.search(rf'name="feeding_information-given_by_name" value="{re.escape(html.escape(name))}"', content)
    assert selected_option(content, "feeding_information-given_by_capacity") == "patient"
    client.post(
        page_url(patient),
        {
            "action": "feeding_information",
            "feeding_information-episode": episode.pk,
            "feeding_information-given_by_capacity": "patient",
            "feeding_information-given_by_name": "",
            "feeding_information-channel": "oral",
        },
    )
    assert episode.consents.get().given_by_name == name
    # A representative must still give their own name.
    response = client.post(
        page_url(patient),
        {
            "action": "feeding_information",
            "feeding_information-episode": episode.pk,
            "feeding_information-given_by_capacity": "guardian",
            "feeding_information-given_by_name": "",
            "feeding_information-channel": "oral",
        },
    )
    assert response.status_code == 400
    assert "Indiquez le nom de la personne qui répond" in response.content.decode()


def test_issue12_forms_leave_validation_to_the_server(referent, patient, episode, make_professional):
    join_team(referent, episode, make_professional())
    content = logged_in(referent).get(page_url(patient)).content.decode()
    main = content[content.index('id="content-main"') :]  # the admin's own logout form is not ours
    forms = re.findall(r"<form [^>]*>", main)
    posting = [form for form in forms if 'method="post"' in form]
    assert len(posting) >= 8
    assert all("novalidate" in form for form in posting)


def test_issue12_closing_an_episode_asks_for_confirmation(referent, patient, episode):
    client = logged_in(referent)
    response = client.post(page_url(patient), {"action": "close_episode", "close_episode-target": episode.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Clôturer cet épisode de soins ?" in content
    assert 'value="Confirmer la clôture"' in content
    assert CareEpisode.objects.get(pk=episode.pk).ended_at is None
    client.post(
        page_url(patient),
        {"action": "close_episode", "close_episode-target": episode.pk, "close_episode-confirmed": "on"},
    )
    assert CareEpisode.objects.get(pk=episode.pk).ended_at is not None


def test_issue12_removing_a_team_member_asks_for_confirmation(referent, patient, episode, make_professional):
    member = join_team(referent, episode, make_professional())
    client = logged_in(referent)
    response = client.post(page_url(patient), {"action": "end_membership", "end_membership-target": member.pk})
    assert response.status_code == 200
    assert "Retirer ce professionnel de l&#x27;équipe de soins ?" in response.content.decode()
    assert CareTeamMember.objects.get(pk=member.pk).left_at is None
    client.post(
        page_url(patient),
        {"action": "end_membership", "end_membership-target": member.pk, "end_membership-confirmed": "on"},
    )
    assert CareTeamMember.objects.get(pk=member.pk).left_at is not None


def headers(content: str) -> list[str]:
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', content, re.S)
    texts = [re.sub(r"<[^>]+>", "", cell) for cell in cells]
    return [" ".join(text.split()) for text in texts if text.strip()]


def test_issue12_emergency_and_decision_lists_show_the_patient_with_french_headers(
    referent, auditor, patient, episode, make_professional
):
    professional = make_professional()
    join_team(referent, episode, professional)
    emergency_access_declare(
        actor=referent,
        episode=episode,
        professional=professional,
        mode="bris_de_glace",
        justification="Arrêt cardiaque",
        patient_cannot_express=True,
    )
    dmp_access_decision(
        actor=referent, patient=patient, professional=professional, episode=episode, purpose="consultation"
    )
    assert EmergencyAccess.objects.exists()
    client = logged_in(auditor)
    for url_name, expected in (
        ("admin:consent_emergencyaccess_changelist", {"Patient", "Professionnel", "Épisode de soins", "Mode"}),
        ("admin:consent_accessdecisionlog_changelist", {"Patient", "Professionnel", "Décidé le", "Autorisé"}),
    ):
        content = client.get(reverse(url_name)).content.decode()
        shown = headers(content)
        assert expected <= set(shown), shown
        assert not {"Professional", "Episode"} & set(shown), shown
        assert patient.birth_name in html.unescape(content)
